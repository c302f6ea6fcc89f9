using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Responses;

/// <summary>One framed event: its position in the stream, its <c>event:</c> name and its parsed <c>data:</c>.</summary>
internal sealed record ResponsesSseEvent(int Index, string? Name, JsonObject Data)
{
    public string Type => Data["type"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    public string Label => $"event #{Index} ({(Type.Length > 0 ? Type : Name ?? "untyped")})";
}

/// <summary>
/// Splits the raw stream text into events under the framing rules the Open Responses SSE parser
/// (<c>src/lib/sse-parser.ts</c>) and strict clients depend on: LF line endings only (the parser splits on
/// <c>\n</c>), each event a block of one <c>event:</c> line and one single-line <c>data:</c> line (the parser keeps only
/// the last <c>data:</c> line) ended by a blank line, no <c>[DONE]</c> sentinel (not part of the Responses API), and
/// JSON object data. Comment lines (<c>:</c>) are allowed: every parser ignores them.
/// </summary>
internal static class ResponsesSseFrames
{
    public static List<ResponsesSseEvent> Parse(string sse, List<string> violations)
    {
        var cr = sse.IndexOf('\r', StringComparison.Ordinal);
        if (cr >= 0)
        {
            violations.Add($"framing: carriage return at line {sse[..cr].Count(c => c == '\n') + 1}; events must use LF line endings only");
            sse = sse.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        }
        if (sse.Length == 0)
        {
            violations.Add("framing: the stream is empty");
            return [];
        }
        if (!sse.EndsWith("\n\n", StringComparison.Ordinal)) violations.Add("framing: the stream does not end with a blank line, so its last event is never dispatched");

        var events = new List<ResponsesSseEvent>();
        var index = 0;
        foreach (var block in sse.Split("\n\n"))
        {
            var lines = block.Split('\n').Where(l => l.Length > 0 && !l.StartsWith(':')).ToList();
            if (lines.Count == 0) continue;
            if (Frame(lines, index++, violations) is { } e) events.Add(e);
        }
        return events;
    }

    private static ResponsesSseEvent? Frame(List<string> lines, int index, List<string> violations)
    {
        var label = $"event #{index}";
        var names = lines.Where(l => l.StartsWith("event:", StringComparison.Ordinal)).Select(l => l[6..].Trim()).ToList();
        var data = lines.Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).ToList();
        foreach (var other in lines.Where(l => !l.StartsWith("event:", StringComparison.Ordinal) && !l.StartsWith("data:", StringComparison.Ordinal)))
        {
            violations.Add($"{label}: unexpected line \"{Clip(other)}\"; an event has only event: and data: lines");
        }
        if (data.Count == 1 && data[0] == "[DONE]")
        {
            violations.Add($"{label}: data: [DONE] is a chat-completions sentinel; a Responses stream ends with its terminal event");
            return null;
        }
        if (names.Count != 1) violations.Add($"{label}: {names.Count} event: lines; each event needs exactly one");
        else if (!lines[0].StartsWith("event:", StringComparison.Ordinal)) violations.Add($"{label}: the event: line must come first");
        if (data.Count != 1)
        {
            violations.Add($"{label}: {data.Count} data: lines; the data must be one single-line JSON object");
            if (data.Count == 0) return null;
        }
        try
        {
            if (JsonNode.Parse(data[^1]) is JsonObject obj) return new ResponsesSseEvent(index, names.FirstOrDefault(), obj);
            violations.Add($"{label}: data is not a JSON object");
        }
        catch (JsonException e)
        {
            violations.Add($"{label}: data is not JSON ({e.Message}): {Clip(data[^1])}");
        }
        return null;
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
