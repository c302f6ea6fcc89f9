using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Node;

/// <summary>What a Node script did: its exit code, its output, and whether it was killed for running too long.</summary>
public sealed record NodeResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>
    /// The script's result: the last line of stdout that is a JSON object (the scenarios print exactly one), or null.
    /// </summary>
    public JsonObject? Json
    {
        get
        {
            foreach (var line in Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Reverse())
            {
                if (!line.StartsWith('{')) continue;
                try
                {
                    return JsonNode.Parse(line) as JsonObject;
                }
                catch (JsonException)
                {
                    // Not the result line; keep looking.
                }
            }
            return null;
        }
    }

    /// <summary>Everything a failed assertion should show.</summary>
    public override string ToString() =>
        $"exit code {ExitCode}{(TimedOut ? " (killed after the timeout)" : "")}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
