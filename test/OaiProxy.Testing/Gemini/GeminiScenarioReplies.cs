using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Testing.Scenarios;

namespace OaiProxy.Testing.Gemini;

/// <summary>
/// The scripted turns of the client scenarios (<see cref="Scenario"/>) as Gemini <c>generateContent</c> answers, for
/// <see cref="FakeGeminiServer.Handler"/>. Like Gemini 3, every function call turn is signed (its first call carries a
/// <c>thoughtSignature</c>), and when thoughts are asked for (<c>includeThoughts</c>) a signed thought part comes
/// first. Each turn has its own <c>responseId</c>, as the real API's answers do.
/// </summary>
public static class GeminiScenarioReplies
{
    public const string Thought = "Working out the next step.";

    /// <summary>The signature the fake puts on the first call of a turn calling <paramref name="name"/>.</summary>
    public static string CallSignature(string name) => Convert.ToBase64String(Encoding.UTF8.GetBytes("call-sig:" + name));

    /// <summary>The signature of the thought part of turn <paramref name="turn"/> (1 for the first answer).</summary>
    public static string ThoughtSignature(int turn) => Convert.ToBase64String(Encoding.UTF8.GetBytes("thought-sig:" + turn));

    public static GeminiReply Generate(GeminiRecordedRequest request)
    {
        var json = request.Json;
        var outputs = request.Contents
            .Where(c => c?["role"]?.ToString() == "user")
            .Sum(c => (c!["parts"] as JsonArray ?? []).Count(p => p?["functionResponse"] is not null));
        var tools = (json["tools"] as JsonArray ?? [])
            .SelectMany(t => t?["functionDeclarations"] as JsonArray ?? [])
            .Select(d => d?["name"]?.ToString())
            .ToHashSet();
        var calling = json["toolConfig"]?["functionCallingConfig"];
        var forced = calling?["mode"]?.ToString() == "ANY" && calling["allowedFunctionNames"] is JsonArray { Count: 1 } names ? names[0]!.ToString() : null;
        var thinking = request.GenerationConfig?["thinkingConfig"]?["includeThoughts"]?.GetValue<bool>() == true;
        var schema = request.GenerationConfig?["responseSchema"] is not null;
        var image = request.Contents.Any(c => (c?["parts"] as JsonArray ?? []).Any(p => p?["inlineData"]?["mimeType"]?.ToString().StartsWith("image/", StringComparison.Ordinal) == true));
        var turn = outputs + 1;
        return Scenario.Next(outputs, tools, forced, schema, image) switch
        {
            ScenarioStep.Shell => Answer(thinking, turn, Call("exec_command", Scenario.ShellArguments)),
            ScenarioStep.Patch => Answer(thinking, turn, Call("apply_patch", new JsonObject { ["input"] = Scenario.Patch }.ToJsonString())),
            ScenarioStep.CodexAnswer => Answer(thinking, turn, GeminiWire.Text(Scenario.CodexAnswer)),
            ScenarioStep.WeatherAnswer => Answer(thinking, turn, GeminiWire.Text(Scenario.WeatherAnswer)),
            ScenarioStep.WeatherCall => Answer(thinking, turn, Call("get_weather", Scenario.WeatherArguments)),
            ScenarioStep.WeatherReport => Answer(thinking, turn, GeminiWire.Text(Scenario.WeatherReport)),
            ScenarioStep.ImageAnswer => Answer(thinking, turn, GeminiWire.Text(Scenario.ImageAnswer)),
            _ => GeminiReply.Default,
        };
    }

    private static JsonObject Call(string name, string arguments) =>
        GeminiWire.Call(name, JsonNode.Parse(arguments)!.AsObject(), signature: CallSignature(name));

    private static GeminiReply.Content Answer(bool thinking, int turn, JsonObject part) => new(
        thinking ? [GeminiWire.Thought(Thought, ThoughtSignature(turn)), part] : [part],
        Usage: GeminiWire.Usage(40, 12, thoughts: thinking ? 20 : 0),
        ResponseId: $"resp-scenario-{turn}");
}
