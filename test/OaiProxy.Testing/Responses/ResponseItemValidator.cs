using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Responses;

/// <summary>
/// Checks one output item by its type, with the required fields of OpenAI's OpenAPI spec (openai/openai-openapi
/// <c>openapi.json</c>: OutputMessage, FunctionToolCall, CustomToolCall, ReasoningItem) tightened where the Open
/// Responses schemas (<c>Message</c>, <c>FunctionCall</c>, <c>ReasoningBody</c>) or clients need more: every item has
/// an <c>id</c>, a function call a <c>status</c>, a reasoning item a <c>summary</c> array (the AI SDK rejects a response
/// without it). Other item types need only a string <c>type</c>.
/// </summary>
public static class ResponseItemValidator
{
    private static readonly string[] Statuses = ["in_progress", "completed", "incomplete"];

    public static IReadOnlyList<string> Validate(JsonNode? item, string path = "item")
    {
        var violations = new List<string>();
        Check(new JsonShape(violations), item, path);
        return violations;
    }

    internal static void Check(JsonShape shape, JsonNode? node, string path)
    {
        if (shape.Object(node, path) is not { } item) return;
        switch (shape.Require(item, path, "type", JsonKind.String)?.GetValue<string>())
        {
            case "message":
                shape.Require(item, path, "id", JsonKind.String);
                shape.RequireOneOf(item, path, "role", "assistant");
                shape.RequireOneOf(item, path, "status", Statuses);
                if (shape.Require(item, path, "content", JsonKind.Array) is JsonArray content)
                {
                    for (var i = 0; i < content.Count; i++) CheckPart(shape, content[i], $"{path}.content[{i}]");
                }
                break;
            case "function_call":
                foreach (var key in (string[])["id", "call_id", "name", "arguments"]) shape.Require(item, path, key, JsonKind.String);
                shape.RequireOneOf(item, path, "status", Statuses);
                break;
            case "custom_tool_call":
                foreach (var key in (string[])["id", "call_id", "name", "input"]) shape.Require(item, path, key, JsonKind.String);
                break;
            case "reasoning":
                shape.Require(item, path, "id", JsonKind.String);
                if (shape.Require(item, path, "summary", JsonKind.Array) is JsonArray summary)
                {
                    for (var i = 0; i < summary.Count; i++) CheckTextPart(shape, summary[i], $"{path}.summary[{i}]", "summary_text");
                }
                if (shape.Optional(item, path, "content", JsonKind.Array) is JsonArray reasoningContent)
                {
                    for (var i = 0; i < reasoningContent.Count; i++) CheckTextPart(shape, reasoningContent[i], $"{path}.content[{i}]", "reasoning_text");
                }
                shape.Optional(item, path, "encrypted_content", JsonKind.String, nullable: true);
                break;
        }
    }

    /// <summary>A message content part: output_text (text, annotations, logprobs arrays) or refusal.</summary>
    internal static void CheckPart(JsonShape shape, JsonNode? node, string path)
    {
        if (shape.Object(node, path) is not { } part) return;
        switch (shape.RequireOneOf(part, path, "type", "output_text", "refusal"))
        {
            case "output_text":
                shape.Require(part, path, "text", JsonKind.String);
                shape.Require(part, path, "annotations", JsonKind.Array);
                // Required by OpenAI's OutputTextContent and by the suite's generated outputTextContentSchema.
                shape.Require(part, path, "logprobs", JsonKind.Array);
                break;
            case "refusal":
                shape.Require(part, path, "refusal", JsonKind.String);
                break;
        }
    }

    /// <summary>A summary_text or reasoning_text part: its type and its text.</summary>
    internal static void CheckTextPart(JsonShape shape, JsonNode? node, string path, string type)
    {
        if (shape.Object(node, path) is not { } part) return;
        shape.RequireOneOf(part, path, "type", type);
        shape.Require(part, path, "text", JsonKind.String);
    }
}
