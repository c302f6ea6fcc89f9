using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Responses;

/// <summary>
/// The Responses stream events a strict client accepts and each one's required fields, from OpenAI's OpenAPI spec
/// (openai/openai-openapi <c>openapi.json</c>, the <c>Response*Event</c> schemas) and the Open Responses streaming
/// schemas (openresponses/openresponses <c>public/openapi/openapi.json</c>, <c>*StreamingEvent</c>); where they differ
/// the stricter wins (OpenAI requires <c>logprobs</c> on text deltas and <c>name</c> on function arguments done).
/// Every event also needs <c>type</c> and an integer <c>sequence_number</c>.
/// </summary>
internal static class ResponsesEventSchemas
{
    private const JsonKind S = JsonKind.String;
    private const JsonKind I = JsonKind.Integer;

    public const string Created = "response.created";
    public const string Queued = "response.queued";
    public const string InProgress = "response.in_progress";
    public const string Completed = "response.completed";
    public const string Failed = "response.failed";
    public const string Incomplete = "response.incomplete";
    public const string ItemAdded = "response.output_item.added";
    public const string ItemDone = "response.output_item.done";
    public const string Error = "error";

    /// <summary>The events that close a stream and the response status each one carries.</summary>
    public static readonly Dictionary<string, string> Terminals = new()
    {
        [Completed] = "completed",
        [Failed] = "failed",
        [Incomplete] = "incomplete",
    };

    private static readonly (string, JsonKind)[] Part = [("item_id", S), ("output_index", I), ("content_index", I)];
    private static readonly (string, JsonKind)[] Summary = [("item_id", S), ("output_index", I), ("summary_index", I)];
    private static readonly (string, JsonKind)[] Item = [("item_id", S), ("output_index", I)];

    /// <summary>Event type → its fields beyond type and sequence_number (objects are checked further by the validator).</summary>
    public static readonly Dictionary<string, (string Field, JsonKind Kind)[]> Fields = new()
    {
        [Created] = [("response", JsonKind.Object)],
        [Queued] = [("response", JsonKind.Object)],
        [InProgress] = [("response", JsonKind.Object)],
        [Completed] = [("response", JsonKind.Object)],
        [Failed] = [("response", JsonKind.Object)],
        [Incomplete] = [("response", JsonKind.Object)],
        [ItemAdded] = [("output_index", I), ("item", JsonKind.Object)],
        [ItemDone] = [("output_index", I), ("item", JsonKind.Object)],
        ["response.content_part.added"] = [.. Part, ("part", JsonKind.Object)],
        ["response.content_part.done"] = [.. Part, ("part", JsonKind.Object)],
        ["response.output_text.delta"] = [.. Part, ("delta", S), ("logprobs", JsonKind.Array)],
        ["response.output_text.done"] = [.. Part, ("text", S), ("logprobs", JsonKind.Array)],
        ["response.refusal.delta"] = [.. Part, ("delta", S)],
        ["response.refusal.done"] = [.. Part, ("refusal", S)],
        ["response.function_call_arguments.delta"] = [.. Item, ("delta", S)],
        ["response.function_call_arguments.done"] = [.. Item, ("name", S), ("arguments", S)],
        ["response.reasoning_summary_part.added"] = [.. Summary, ("part", JsonKind.Object)],
        ["response.reasoning_summary_part.done"] = [.. Summary, ("part", JsonKind.Object)],
        ["response.reasoning_summary_text.delta"] = [.. Summary, ("delta", S)],
        ["response.reasoning_summary_text.done"] = [.. Summary, ("text", S)],
        ["response.reasoning_text.delta"] = [.. Part, ("delta", S)],
        ["response.reasoning_text.done"] = [.. Part, ("text", S)],
        ["response.custom_tool_call_input.delta"] = [.. Item, ("delta", S)],
        ["response.custom_tool_call_input.done"] = [.. Item, ("input", S)],
        ["response.output_text.annotation.added"] = [.. Part, ("annotation_index", I), ("annotation", JsonKind.Any)],
        [Error] = [],
    };

    /// <summary>The output item type an item-scoped event belongs to (by its type's prefix), or null.</summary>
    public static string? ItemTypeOf(string eventType) => eventType switch
    {
        _ when eventType.StartsWith("response.content_part.", StringComparison.Ordinal)
            || eventType.StartsWith("response.output_text.", StringComparison.Ordinal)
            || eventType.StartsWith("response.refusal.", StringComparison.Ordinal) => "message",
        _ when eventType.StartsWith("response.function_call_arguments.", StringComparison.Ordinal) => "function_call",
        _ when eventType.StartsWith("response.custom_tool_call_input.", StringComparison.Ordinal) => "custom_tool_call",
        _ when eventType.StartsWith("response.reasoning_", StringComparison.Ordinal) => "reasoning",
        _ => null,
    };

    /// <summary>
    /// The error event: OpenAI's ResponseErrorEvent has <c>code</c>, <c>message</c> and <c>param</c> at the top; the
    /// Open Responses ErrorStreamingEvent nests them in <c>error</c>. Either shape is accepted (sending both satisfies
    /// both schemas, since neither forbids extra keys).
    /// </summary>
    public static void CheckError(JsonShape shape, JsonObject data, string path)
    {
        if (data["error"] is JsonObject nested)
        {
            shape.Require(nested, $"{path}.error", "message", S);
            shape.Require(nested, $"{path}.error", "code", S, nullable: true);
            shape.Require(nested, $"{path}.error", "param", S, nullable: true);
            return;
        }
        shape.Require(data, path, "message", S);
        shape.Require(data, path, "code", S, nullable: true);
        shape.Require(data, path, "param", S, nullable: true);
    }
}
