using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Responses;

/// <summary>
/// Checks a Responses API response object the way the Open Responses compliance suite does (its
/// <c>responseResourceSchema</c>, generated from <c>ResponseResource</c> in openresponses/openresponses
/// <c>public/openapi/openapi.json</c>) and strict clients do: every key present (null only where the schema allows it),
/// each value of the right JSON type, <c>usage</c> with both detail objects, and every output item with its
/// type's required fields (<see cref="ResponseItemValidator"/>). Returns human-readable violations; empty means valid.
/// </summary>
public static class ResponseResourceValidator
{
    // (key, type, may be null). ResponseResource.required in the Open Responses spec; "metadata" is required there
    // too (any value). Where OpenAI's own Response schema is looser (top_p, temperature nullable), the suite's stricter
    // rule wins, because it is the one a gateway is tested against.
    private static readonly (string Key, JsonKind Kind, bool Nullable)[] Keys =
    [
        ("id", JsonKind.String, false), ("object", JsonKind.String, false), ("created_at", JsonKind.Integer, false),
        ("completed_at", JsonKind.Integer, true), ("status", JsonKind.String, false), ("incomplete_details", JsonKind.Object, true),
        ("model", JsonKind.String, false), ("previous_response_id", JsonKind.String, true), ("instructions", JsonKind.String, true),
        ("output", JsonKind.Array, false), ("error", JsonKind.Object, true), ("tools", JsonKind.Array, false),
        ("tool_choice", JsonKind.Any, false), ("truncation", JsonKind.String, false), ("parallel_tool_calls", JsonKind.Boolean, false),
        ("text", JsonKind.Object, false), ("top_p", JsonKind.Number, false), ("presence_penalty", JsonKind.Number, false),
        ("frequency_penalty", JsonKind.Number, false), ("top_logprobs", JsonKind.Integer, false), ("temperature", JsonKind.Number, false),
        ("reasoning", JsonKind.Object, true), ("usage", JsonKind.Object, true), ("max_output_tokens", JsonKind.Integer, true),
        ("max_tool_calls", JsonKind.Integer, true), ("store", JsonKind.Boolean, false), ("background", JsonKind.Boolean, false),
        ("service_tier", JsonKind.String, false), ("metadata", JsonKind.Any, false), ("safety_identifier", JsonKind.String, true),
        ("prompt_cache_key", JsonKind.String, true),
    ];

    /// <summary>Validates a JSON body (a non-streaming answer).</summary>
    public static IReadOnlyList<string> Validate(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            return [$"response: not JSON ({e.Message})"];
        }
        return Validate(node);
    }

    public static IReadOnlyList<string> Validate(JsonNode? response, string path = "response")
    {
        var violations = new List<string>();
        Check(new JsonShape(violations), response, path);
        return violations;
    }

    public static void AssertValid(string json) => Throw(Validate(json), "The response object");

    internal static void Throw(IReadOnlyList<string> violations, string what)
    {
        if (violations.Count > 0) throw new InvalidDataException($"{what} breaks the Responses schema:\n  " + string.Join("\n  ", violations));
    }

    internal static void Check(JsonShape shape, JsonNode? node, string path)
    {
        if (shape.Object(node, path) is not { } response) return;
        var values = new Dictionary<string, JsonNode?>();
        foreach (var (key, kind, nullable) in Keys) values[key] = shape.Require(response, path, key, kind, nullable);

        if (values["object"]?.GetValue<string>() is { } obj && obj != "response") shape.Add($"{path}.object", $"must be \"response\", got \"{obj}\"");
        var status = values["status"] is null ? null
            : shape.RequireOneOf(response, path, "status", "completed", "failed", "in_progress", "cancelled", "queued", "incomplete");
        if (values["truncation"] is not null) shape.RequireOneOf(response, path, "truncation", "auto", "disabled");
        CheckToolChoice(shape, response["tool_choice"], $"{path}.tool_choice");
        if (values["text"] is JsonObject text && shape.Require(text, $"{path}.text", "format", JsonKind.Object) is JsonObject format)
        {
            shape.Require(format, $"{path}.text.format", "type", JsonKind.String);
        }
        if (values["reasoning"] is JsonObject reasoning)
        {
            shape.Require(reasoning, $"{path}.reasoning", "effort", JsonKind.String, nullable: true);
            shape.Require(reasoning, $"{path}.reasoning", "summary", JsonKind.String, nullable: true);
        }
        if (values["incomplete_details"] is JsonObject details) shape.Require(details, $"{path}.incomplete_details", "reason", JsonKind.String);
        if (values["error"] is JsonObject error)
        {
            shape.Require(error, $"{path}.error", "code", JsonKind.String);
            shape.Require(error, $"{path}.error", "message", JsonKind.String);
        }
        // Clients act on these: Codex reports incomplete_details.reason and classifies failures by error.code.
        if (status == "incomplete" && response["incomplete_details"] is null) shape.Add($"{path}.incomplete_details", "must be set when status is \"incomplete\"");
        if (status == "failed" && response["error"] is null) shape.Add($"{path}.error", "must be set when status is \"failed\"");
        if (values["usage"] is JsonObject usage) CheckUsage(shape, usage, $"{path}.usage");
        if (values["tools"] is JsonArray tools) CheckTools(shape, tools, $"{path}.tools");
        if (values["output"] is JsonArray output)
        {
            for (var i = 0; i < output.Count; i++) ResponseItemValidator.Check(shape, output[i], $"{path}.output[{i}]");
        }
    }

    private static void CheckToolChoice(JsonShape shape, JsonNode? choice, string path)
    {
        switch (choice)
        {
            case JsonObject obj:
                shape.Require(obj, path, "type", JsonKind.String);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var mode = value.GetValue<string>();
                if (mode is not ("none" or "auto" or "required")) shape.Add(path, $"must be \"none\", \"auto\", \"required\" or an object, got \"{mode}\"");
                break;
            default:
                if (choice is not null) shape.Add(path, $"must be a string or an object, got {JsonShape.Describe(choice)}");
                break;
        }
    }

    /// <summary>ResponseUsage: all five fields, both detail objects (the suite's readme: usage without them fails).</summary>
    private static void CheckUsage(JsonShape shape, JsonObject usage, string path)
    {
        var input = shape.Require(usage, path, "input_tokens", JsonKind.Integer);
        var output = shape.Require(usage, path, "output_tokens", JsonKind.Integer);
        var total = shape.Require(usage, path, "total_tokens", JsonKind.Integer);
        if (shape.Require(usage, path, "input_tokens_details", JsonKind.Object) is JsonObject inputDetails)
        {
            shape.Require(inputDetails, $"{path}.input_tokens_details", "cached_tokens", JsonKind.Integer);
        }
        if (shape.Require(usage, path, "output_tokens_details", JsonKind.Object) is JsonObject outputDetails)
        {
            shape.Require(outputDetails, $"{path}.output_tokens_details", "reasoning_tokens", JsonKind.Integer);
        }
        if (JsonShape.Integer(input) + JsonShape.Integer(output) is { } sum && JsonShape.Integer(total) is { } reported && sum != reported)
        {
            shape.Add($"{path}.total_tokens", $"must be input_tokens + output_tokens ({sum}), got {reported}");
        }
    }

    /// <summary>Each tool has a type; a function tool carries all four FunctionTool keys (the suite's Tool schema).</summary>
    private static void CheckTools(JsonShape shape, JsonArray tools, string path)
    {
        for (var i = 0; i < tools.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (shape.Object(tools[i], at) is not { } tool || shape.Require(tool, at, "type", JsonKind.String)?.GetValue<string>() != "function") continue;
            shape.Require(tool, at, "name", JsonKind.String);
            shape.Require(tool, at, "description", JsonKind.String, nullable: true);
            shape.Require(tool, at, "parameters", JsonKind.Object, nullable: true);
            shape.Require(tool, at, "strict", JsonKind.Boolean, nullable: true);
        }
    }
}
