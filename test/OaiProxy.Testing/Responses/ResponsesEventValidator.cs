using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Responses;

/// <summary>
/// Validates a whole Responses API event stream, as raw text exactly as received, the way the Open Responses
/// compliance suite and strict clients (Codex, the Agents SDK, the AI SDK) read it: the framing
/// (<see cref="ResponsesSseFrames"/>), each event's type and required fields (<see cref="ResponsesEventSchemas"/>),
/// every embedded response (<see cref="ResponseResourceValidator"/>) and item (<see cref="ResponseItemValidator"/>),
/// and the order of the stream (<see cref="ResponsesStreamOrder"/>). Returns human-readable violations; empty means
/// valid.
/// </summary>
public static class ResponsesEventValidator
{
    public static IReadOnlyList<string> Validate(string sse)
    {
        var violations = new List<string>();
        var events = ResponsesSseFrames.Parse(sse, violations);
        var shape = new JsonShape(violations);
        foreach (var e in events) CheckEvent(shape, e);
        new ResponsesStreamOrder(shape).Check(events);
        return violations;
    }

    /// <summary>Throws with every violation listed when the stream is not valid.</summary>
    public static void AssertValid(string sse) => ResponseResourceValidator.Throw(Validate(sse), "The Responses event stream");

    private static void CheckEvent(JsonShape shape, ResponsesSseEvent e)
    {
        var data = e.Data;
        var path = $"{e.Label} data";
        if (shape.Require(data, path, "type", JsonKind.String) is null) return;
        if (e.Name is not null && e.Name != e.Type) shape.Add(e.Label, $"the event: name \"{e.Name}\" differs from the data's type \"{e.Type}\"");
        if (!ResponsesEventSchemas.Fields.TryGetValue(e.Type, out var fields))
        {
            shape.Add(e.Label, "is not an event type of the Responses API; the compliance suite rejects any event outside the spec's set, vendor events included");
            return;
        }
        shape.Require(data, path, "sequence_number", JsonKind.Integer);
        foreach (var (field, kind) in fields) shape.Require(data, path, field, kind, nullable: kind == JsonKind.Any);
        if (data["response"] is JsonObject response) ResponseResourceValidator.Check(shape, response, $"{path}.response");
        if (data["item"] is JsonObject item) ResponseItemValidator.Check(shape, item, $"{path}.item");
        if (data["part"] is JsonObject part)
        {
            if (e.Type.StartsWith("response.reasoning_summary_part.", StringComparison.Ordinal)) ResponseItemValidator.CheckTextPart(shape, part, $"{path}.part", "summary_text");
            else if (part["type"]?.ToString() == "reasoning_text") ResponseItemValidator.CheckTextPart(shape, part, $"{path}.part", "reasoning_text");
            else ResponseItemValidator.CheckPart(shape, part, $"{path}.part");
        }
        if (e.Type == ResponsesEventSchemas.Error) ResponsesEventSchemas.CheckError(shape, data, path);
        if (e.Type == "response.output_text.annotation.added" && data["annotation"] is { } annotation and not JsonObject)
        {
            shape.Add($"{path}.annotation", $"must be an object or null, got {JsonShape.Describe(annotation)}");
        }
    }
}
