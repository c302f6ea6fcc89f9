using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// OpenAI <c>tools</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c> to Anthropic's <c>tools</c> and
/// <c>tool_choice</c> (protocols.md 2.4, 4.1). Every OpenAI tool_choice form has an exact Anthropic counterpart:
/// none/auto/required become none/auto/any, a named function becomes a tool choice, and allowed_tools filters the
/// tool list before its mode is mapped.
/// </summary>
internal static class AnthropicToolTranslator
{
    public static void Apply(JsonElement request, JsonObject body, IReadOnlyCollection<string> historyToolNames, bool thinking)
    {
        var tools = Tools(request);
        var choice = Choice(request, tools, thinking);
        if (tools.Count == 0 && historyToolNames.Count > 0)
        {
            // Anthropic rejects tool_use/tool_result history without tool definitions. Declaring the tools the history
            // used, with tool_choice none, makes the request valid without letting the model call anything new.
            foreach (var name in historyToolNames.Order(StringComparer.Ordinal))
            {
                tools.Add(new JsonObject { ["name"] = name, ["input_schema"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() } });
            }
            choice = new JsonObject { ["type"] = "none" };
        }
        if (tools.Count == 0) return;
        body["tools"] = new JsonArray([.. tools]);
        if (JsonFields.TryGet(request, "parallel_tool_calls", out var parallel) && parallel.ValueKind == JsonValueKind.False)
        {
            choice ??= new JsonObject { ["type"] = "auto" };
            if (choice["type"]!.GetValue<string>() != "none") choice["disable_parallel_tool_use"] = true;
        }
        if (choice is not null) body["tool_choice"] = choice;
    }

    private static List<JsonNode> Tools(JsonElement request)
    {
        var tools = new List<JsonNode>();
        if (!JsonFields.TryGet(request, "tools", out var list)) return tools;
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw AnthropicTranslationException.Invalid("tools", "\"tools\" must be an array of {\"type\": \"function\", \"function\": {...}} objects.", "invalid_type");
        }
        var i = 0;
        foreach (var tool in list.EnumerateArray())
        {
            var path = $"tools[{i++}]";
            var type = JsonFields.String(tool, "type") ?? "function";
            if (type != "function")
            {
                throw AnthropicTranslationException.Unsupported(path + ".type", $"\"{path}\" is a \"{type}\" tool, which Anthropic cannot take; declare it as a \"function\" tool with a JSON schema.");
            }
            JsonFields.TryGet(tool, "function", out var function);
            var name = JsonFields.String(function, "name")
                ?? throw AnthropicTranslationException.Invalid(path + ".function.name", $"\"{path}.function.name\" is missing.", "missing_required_parameter");
            var result = new JsonObject { ["name"] = name };
            if (JsonFields.String(function, "description") is { Length: > 0 } description) result["description"] = description;
            result["input_schema"] = Schema(function, path + ".function.parameters");
            if (JsonFields.TryGet(function, "strict", out var strict) && strict.ValueKind == JsonValueKind.True) result["strict"] = true;
            if (JsonFields.TryGet(tool, "cache_control", out var cache)) result["cache_control"] = JsonFields.Clone(cache);
            tools.Add(result);
        }
        return tools;
    }

    /// <summary>The schema passes through whole (dropping keywords changes what the model produces); only the mandatory root type is added.</summary>
    private static JsonObject Schema(JsonElement function, string path)
    {
        if (!JsonFields.TryGet(function, "parameters", out var parameters))
        {
            return new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        }
        if (JsonFields.Clone(parameters) is not JsonObject schema)
        {
            throw AnthropicTranslationException.Invalid(path, $"\"{path}\" must be a JSON Schema object.", "invalid_type");
        }
        var type = schema["type"];
        if (type is null) schema["type"] = "object";
        else if (type.GetValueKind() != JsonValueKind.String || type.GetValue<string>() != "object")
        {
            throw AnthropicTranslationException.Invalid(path, $"\"{path}\" must describe an object (\"type\": \"object\"); Anthropic takes tool arguments as an object.");
        }
        if (schema["properties"] is null && schema.ContainsKey("properties")) schema["properties"] = new JsonObject();
        return schema;
    }

    private static JsonObject? Choice(JsonElement request, List<JsonNode> tools, bool thinking)
    {
        if (!JsonFields.TryGet(request, "tool_choice", out var choice)) return null;
        JsonObject result;
        if (choice.ValueKind == JsonValueKind.String)
        {
            result = choice.GetString() switch
            {
                "none" => new JsonObject { ["type"] = "none" },
                "auto" => new JsonObject { ["type"] = "auto" },
                "required" => new JsonObject { ["type"] = "any" },
                var other => throw AnthropicTranslationException.Invalid("tool_choice", $"\"tool_choice\" is \"{other}\"; use \"none\", \"auto\", \"required\" or an object naming a function."),
            };
        }
        else
        {
            result = ChoiceObject(choice, tools);
        }
        if (tools.Count == 0 && result["type"]!.GetValue<string>() != "none")
        {
            throw AnthropicTranslationException.Invalid("tool_choice", "\"tool_choice\" is set but no \"tools\" are declared; declare the tools or remove tool_choice.");
        }
        if (thinking && result["type"]!.GetValue<string>() is "any" or "tool")
        {
            throw AnthropicTranslationException.Unsupported("tool_choice",
                "Anthropic cannot force a tool call while extended thinking is on; use \"tool_choice\": \"auto\", or drop \"reasoning_effort\".");
        }
        return result;
    }

    private static JsonObject ChoiceObject(JsonElement choice, List<JsonNode> tools)
    {
        switch (JsonFields.String(choice, "type"))
        {
            case "function":
                JsonFields.TryGet(choice, "function", out var function);
                var name = JsonFields.String(function, "name")
                    ?? throw AnthropicTranslationException.Invalid("tool_choice.function.name", "\"tool_choice.function.name\" is missing.", "missing_required_parameter");
                if (!tools.Any(t => t["name"]!.GetValue<string>() == name))
                {
                    throw AnthropicTranslationException.Invalid("tool_choice.function.name", $"\"tool_choice\" names the function \"{name}\", which is not in \"tools\".");
                }
                return new JsonObject { ["type"] = "tool", ["name"] = name };
            case "allowed_tools":
                JsonFields.TryGet(choice, "allowed_tools", out var allowed);
                var names = new HashSet<string>(StringComparer.Ordinal);
                if (JsonFields.TryGet(allowed, "tools", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var tool in list.EnumerateArray())
                    {
                        JsonFields.TryGet(tool, "function", out var f);
                        if ((JsonFields.String(f, "name") ?? JsonFields.String(tool, "name")) is { } n) names.Add(n);
                    }
                }
                tools.RemoveAll(t => !names.Contains(t["name"]!.GetValue<string>()));
                if (tools.Count == 0)
                {
                    throw AnthropicTranslationException.Invalid("tool_choice.allowed_tools.tools", "\"tool_choice.allowed_tools.tools\" names none of the declared tools.");
                }
                return JsonFields.String(allowed, "mode") switch
                {
                    "required" => new JsonObject { ["type"] = "any" },
                    "auto" or null => new JsonObject { ["type"] = "auto" },
                    var mode => throw AnthropicTranslationException.Invalid("tool_choice.allowed_tools.mode", $"\"tool_choice.allowed_tools.mode\" is \"{mode}\"; use \"auto\" or \"required\"."),
                };
            case var type:
                throw AnthropicTranslationException.Unsupported("tool_choice", $"\"tool_choice\" of type \"{type}\" cannot be translated for Anthropic; use \"none\", \"auto\", \"required\", a function or allowed_tools.");
        }
    }
}
