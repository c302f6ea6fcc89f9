using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Errors;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// OpenAI <c>tools</c> to one Gemini <c>functionDeclarations</c> tool (schemas converted, a function without
/// arguments sends no <c>parameters</c>), <c>web_search_options</c> to <c>googleSearch</c>, and <c>tool_choice</c>
/// to <c>toolConfig.functionCallingConfig</c>. <c>parallel_tool_calls</c> has no Gemini counterpart and is dropped.
/// </summary>
internal static class GeminiToolsTranslator
{
    public static JsonArray? BuildTools(OpenAiRequestFields fields)
    {
        var tools = new JsonArray();
        if (fields.TryGet("tools", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array) throw OpenAiRequestFields.Wrong("tools", "an array");
            var declarations = new JsonArray();
            var i = 0;
            foreach (var tool in list.EnumerateArray())
            {
                declarations.Add((JsonNode)Declaration(tool, i++));
            }
            if (declarations.Count > 0) tools.Add((JsonNode)new JsonObject { ["functionDeclarations"] = declarations });
        }
        if (fields.TryGet("web_search_options", out _)) tools.Add((JsonNode)new JsonObject { ["googleSearch"] = new JsonObject() });
        return tools.Count == 0 ? null : tools;
    }

    private static JsonObject Declaration(JsonElement tool, int index)
    {
        var param = $"tools[{index}]";
        var type = tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "function" || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
        {
            throw new GeminiTranslationException(ProxyError.BadRequest(
                $"Gemini connections support only tools of type \"function\"; '{param}' has type \"{type}\".", param + ".type", ErrorCodes.UnsupportedParameter));
        }
        if (!function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
        {
            throw new GeminiTranslationException(ProxyError.BadRequest($"Missing required parameter: '{param}.function.name'.", param + ".function.name", ErrorCodes.MissingField));
        }
        var declaration = new JsonObject { ["name"] = name.GetString() };
        if (function.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
        {
            declaration["description"] = description.GetString();
        }
        if (function.TryGetProperty("parameters", out var parameters))
        {
            var converted = GeminiSchemaConverter.Convert(parameters);
            // Gemini rejects an OBJECT with empty properties: a function without arguments has no parameters at all.
            if (!GeminiSchemaConverter.IsEmptyObject(converted)) declaration["parameters"] = converted;
        }
        return declaration;
    }

    public static JsonObject? BuildToolConfig(OpenAiRequestFields fields)
    {
        if (!fields.TryGet("tool_choice", out var choice)) return null;
        JsonObject config;
        if (choice.ValueKind == JsonValueKind.String)
        {
            config = choice.GetString() switch
            {
                "auto" => new JsonObject { ["mode"] = "AUTO" },
                "none" => new JsonObject { ["mode"] = "NONE" },
                "required" => new JsonObject { ["mode"] = "ANY" },
                var other => throw new GeminiTranslationException(ProxyError.BadRequest(
                    $"Invalid value for 'tool_choice': \"{other}\"; use \"auto\", \"none\", \"required\" or a function.", "tool_choice", "invalid_value")),
            };
        }
        else if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out var function) &&
                 function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            config = new JsonObject { ["mode"] = "ANY", ["allowedFunctionNames"] = new JsonArray(name.GetString()) };
        }
        else if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("allowed_tools", out var allowed))
        {
            config = AllowedTools(allowed);
        }
        else
        {
            throw OpenAiRequestFields.Wrong("tool_choice", "\"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}");
        }
        return new JsonObject { ["functionCallingConfig"] = config };
    }

    private static JsonObject AllowedTools(JsonElement allowed)
    {
        var required = allowed.TryGetProperty("mode", out var mode) && mode.ValueKind == JsonValueKind.String && mode.GetString() == "required";
        var names = new JsonArray();
        if (allowed.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) names.Add((JsonNode?)n.GetString());
            }
        }
        // Gemini restricts the callable functions only in ANY mode; "auto" over a subset is as close as AUTO gets.
        return required ? new JsonObject { ["mode"] = "ANY", ["allowedFunctionNames"] = names } : new JsonObject { ["mode"] = "AUTO" };
    }
}
