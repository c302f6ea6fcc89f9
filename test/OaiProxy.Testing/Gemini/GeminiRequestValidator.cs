using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OaiProxy.Testing.Gemini;

/// <summary>
/// Checks a <c>GenerateContentRequest</c> the way the real API does, answering with its wording: unknown fields
/// ("Invalid JSON payload received. Unknown name"), empty or mixed parts, turn order, function call and response
/// pairing, schema keywords outside Gemini's subset, and thought signatures on Gemini 3 models.
/// </summary>
public static partial class GeminiRequestValidator
{
    private static readonly HashSet<string> TopLevel = ["contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "safetySettings", "cachedContent", "labels"];
    private static readonly HashSet<string> PartData = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"];
    private static readonly HashSet<string> PartMeta = ["thought", "thoughtSignature", "videoMetadata", "mediaResolution"];
    private static readonly HashSet<string> Generation =
    [
        "temperature", "topP", "topK", "maxOutputTokens", "stopSequences", "candidateCount", "presencePenalty", "frequencyPenalty",
        "seed", "responseMimeType", "responseSchema", "responseJsonSchema", "responseModalities", "thinkingConfig",
        "responseLogprobs", "logprobs", "mediaResolution", "speechConfig", "imageConfig",
    ];
    private static readonly HashSet<string> SchemaKeys =
    [
        "type", "format", "description", "nullable", "enum", "items", "properties", "required", "propertyOrdering", "minItems", "maxItems",
        "minLength", "maxLength", "minProperties", "maxProperties", "minimum", "maximum", "pattern", "anyOf", "title", "default", "example",
    ];
    private static readonly HashSet<string> Types = ["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"];

    /// <summary>Null when the request is valid; otherwise the INVALID_ARGUMENT message the real API would give.</summary>
    public static string? Validate(JsonObject body, string model)
    {
        try
        {
            Check(body, model);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    private static void Check(JsonObject body, string model)
    {
        Unknown(body, TopLevel, "GenerateContentRequest");
        if (body["contents"] is not JsonArray contents || contents.Count == 0) Fail("* GenerateContentRequest.contents: contents is not specified");
        var list = body["contents"]!.AsArray();
        if (body["systemInstruction"] is JsonObject system)
        {
            Unknown(system, ["parts", "role"], "systemInstruction");
            foreach (var part in system["parts"]?.AsArray() ?? Fail<JsonArray>("systemInstruction.parts: must not be empty"))
            {
                var p = part as JsonObject ?? Fail<JsonObject>("systemInstruction: parts must be objects.");
                if (p["text"] is null) Fail("systemInstruction: only text parts are supported.");
                CheckText(p);
            }
        }
        string? previous = null;
        var pendingCalls = new List<string>();
        var requireSignatures = model.StartsWith("gemini-3", StringComparison.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var content = list[i] as JsonObject ?? Fail<JsonObject>($"contents[{i}]: must be an object");
            Unknown(content, ["role", "parts"], $"contents[{i}]");
            var role = content["role"]?.GetValue<string>() ?? "user";
            if (role is not ("user" or "model")) Fail($"Please use a valid role: user, model.");
            if (i == 0 && role != "user") Fail("Please ensure that multiturn requests alternate between user and model.");
            if (role == previous) Fail("Please ensure that multiturn requests alternate between user and model.");
            if (content["parts"] is not JsonArray parts || parts.Count == 0) Fail($"* GenerateContentRequest.contents[{i}].parts: contents.parts must not be empty.");
            var partList = content["parts"]!.AsArray();
            var calls = new List<string>();
            var responses = new List<string>();
            for (var j = 0; j < partList.Count; j++)
            {
                var part = partList[j] as JsonObject ?? Fail<JsonObject>($"contents[{i}].parts[{j}]: must be an object");
                var data = part.Select(p => p.Key).Where(PartData.Contains).ToList();
                foreach (var key in part.Select(p => p.Key))
                {
                    if (!PartData.Contains(key) && !PartMeta.Contains(key)) Fail($"Invalid JSON payload received. Unknown name \"{key}\" at 'contents[{i}].parts[{j}]': Cannot find field.");
                }
                if (data.Count != 1) Fail($"* GenerateContentRequest.contents[{i}].parts[{j}].data: required oneof field 'data' must have one initialized field");
                switch (data[0])
                {
                    case "text": CheckText(part); break;
                    case "inlineData": CheckInline(part["inlineData"], $"contents[{i}].parts[{j}].inlineData"); break;
                    case "functionCall":
                        if (role != "model") Fail("Function calls can only come from the model role.");
                        var call = part["functionCall"] as JsonObject ?? Fail<JsonObject>("functionCall must be an object");
                        Unknown(call, ["name", "args", "id"], "functionCall");
                        if (call["args"] is not null and not JsonObject) Fail("functionCall.args must be an object.");
                        calls.Add(call["name"]?.GetValue<string>() ?? Fail<string>("functionCall.name is required"));
                        if (requireSignatures && calls.Count == 1 && part["thoughtSignature"] is null)
                        {
                            Fail($"Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:{call["name"]}` , position {j + 1}.");
                        }
                        break;
                    case "functionResponse":
                        if (role != "user") Fail("Function responses must come from the user role.");
                        var response = part["functionResponse"] as JsonObject ?? Fail<JsonObject>("functionResponse must be an object");
                        Unknown(response, ["name", "response", "id", "parts", "willContinue", "scheduling"], "functionResponse");
                        responses.Add(response["name"]?.GetValue<string>() ?? Fail<string>($"* GenerateContentRequest.contents[{i}].parts[{j}].function_response.name: Name cannot be empty."));
                        if (response["response"] is not JsonObject) Fail("functionResponse.response must be a JSON object.");
                        break;
                }
            }
            if (calls.Count > 0 && previous == "model") Fail("Please ensure that function call turn comes immediately after a user turn or after a function response turn.");
            if (pendingCalls.Count > 0)
            {
                if (responses.Count != pendingCalls.Count) Fail("Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
                if (!responses.Order().SequenceEqual(pendingCalls.Order())) Fail("Function response names do not match the function call names.");
            }
            else if (responses.Count > 0)
            {
                Fail("Please ensure that function response turn comes immediately after a function call turn.");
            }
            pendingCalls = calls;
            previous = role;
        }
        if (body["tools"] is JsonArray tools) CheckTools(tools);
        if (body["toolConfig"] is JsonObject toolConfig) CheckToolConfig(toolConfig);
        if (body["generationConfig"] is JsonObject generation) CheckGeneration(generation);
    }

    private static void CheckText(JsonObject part)
    {
        if (part["text"] is not JsonValue v || v.GetValueKind() != JsonValueKind.String) Fail("text must be a string.");
        if (part["text"]!.GetValue<string>().Length == 0) Fail("Unable to submit request because it has an empty text parameter. Add a value to the parameter and try again.");
    }

    private static void CheckInline(JsonNode? node, string path)
    {
        var inline = node as JsonObject ?? Fail<JsonObject>($"{path}: must be an object");
        Unknown(inline, ["mimeType", "data"], path);
        if (inline["mimeType"]?.GetValue<string>() is not { Length: > 0 }) Fail($"{path}.mimeType: required.");
        try
        {
            Convert.FromBase64String(inline["data"]?.GetValue<string>() ?? "");
        }
        catch (FormatException)
        {
            Fail($"Invalid value at '{path}.data' (TYPE_BYTES), Base64 decoding failed.");
        }
    }

    private static void CheckTools(JsonArray tools)
    {
        foreach (var tool in tools)
        {
            var obj = tool as JsonObject ?? Fail<JsonObject>("tools[] must be objects");
            Unknown(obj, ["functionDeclarations", "googleSearch", "codeExecution", "urlContext", "googleSearchRetrieval"], "tools[]");
            if (obj.Count != 1) Fail("Each tool must set exactly one kind of tool.");
            foreach (var declaration in obj["functionDeclarations"]?.AsArray() ?? [])
            {
                var d = declaration as JsonObject ?? Fail<JsonObject>("functionDeclarations[] must be objects");
                Unknown(d, ["name", "description", "parameters", "parametersJsonSchema", "response", "responseJsonSchema", "behavior"], "function_declarations");
                var name = d["name"]?.GetValue<string>() ?? "";
                if (!NamePattern().IsMatch(name)) Fail($"* GenerateContentRequest.tools[0].function_declarations[0].name: Invalid function name. Must start with a letter or an underscore. Must be a-z, A-Z, 0-9, or contain underscores, dots, colons and dashes, with a maximum length of 128.");
                if (d["parameters"] is JsonObject parameters) CheckSchema(parameters, "parameters", topLevel: true);
            }
        }
    }

    private static void CheckToolConfig(JsonObject config)
    {
        Unknown(config, ["functionCallingConfig", "retrievalConfig"], "toolConfig");
        if (config["functionCallingConfig"] is not JsonObject calling) return;
        Unknown(calling, ["mode", "allowedFunctionNames"], "functionCallingConfig");
        var mode = calling["mode"]?.GetValue<string>();
        if (mode is not ("AUTO" or "ANY" or "NONE" or "VALIDATED")) Fail($"Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), \"{mode}\"");
        if (calling["allowedFunctionNames"] is not null && mode is not ("ANY" or "VALIDATED")) Fail("allowed_function_names can only be set when mode is ANY.");
    }

    private static void CheckGeneration(JsonObject config)
    {
        Unknown(config, Generation, "generation_config");
        if (config["stopSequences"] is JsonArray stop && stop.Count > 5) Fail("The stop_sequences field can have at most 5 entries.");
        if (config["responseSchema"] is JsonObject schema)
        {
            if (config["responseMimeType"]?.GetValue<string>() != "application/json") Fail("responseSchema requires responseMimeType application/json.");
            CheckSchema(schema, "response_schema", topLevel: false);
        }
        if (config["thinkingConfig"] is JsonObject thinking)
        {
            Unknown(thinking, ["thinkingBudget", "thinkingLevel", "includeThoughts"], "thinking_config");
            if (thinking["thinkingBudget"] is not null && thinking["thinkingLevel"] is not null) Fail("You can only set only one of thinking budget and thinking level.");
        }
    }

    private static void CheckSchema(JsonObject schema, string path, bool topLevel)
    {
        foreach (var (key, _) in schema)
        {
            if (!SchemaKeys.Contains(key)) Fail($"Invalid JSON payload received. Unknown name \"{key}\" at '{path}': Cannot find field.");
        }
        var type = schema["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>().ToUpperInvariant() : null;
        if (schema["type"] is not null && (type is null || !Types.Contains(type))) Fail($"Invalid value at '{path}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), {schema["type"]!.ToJsonString()}");
        if (schema["enum"] is JsonArray values && values.Any(v => v is not JsonValue s || s.GetValueKind() != JsonValueKind.String)) Fail($"Invalid value at '{path}.enum': only strings are supported.");
        if (schema["properties"] is JsonObject properties)
        {
            if (properties.Count == 0) Fail($"* GenerateContentRequest.{path}.properties: should be non-empty for OBJECT type");
            foreach (var (name, child) in properties) CheckSchema(child as JsonObject ?? Fail<JsonObject>($"{path}.properties.{name} must be an object"), $"{path}.properties[{name}].value", false);
        }
        else if (topLevel && type == "OBJECT")
        {
            Fail($"* GenerateContentRequest.{path}.properties: should be non-empty for OBJECT type");
        }
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required)
            {
                if (schema["properties"]?[name!.GetValue<string>()] is null) Fail($"* GenerateContentRequest.{path}.required[{name}]: property is not defined");
            }
        }
        if (schema["items"] is JsonObject items) CheckSchema(items, path + ".items", false);
        if (schema["anyOf"] is JsonArray anyOf) foreach (var branch in anyOf) CheckSchema(branch as JsonObject ?? Fail<JsonObject>("anyOf[] must be objects"), path + ".any_of", false);
        if (schema["format"]?.GetValue<string>() is { } format)
        {
            var ok = type switch { "STRING" => format is "enum" or "date-time", "INTEGER" => format is "int32" or "int64", "NUMBER" => format is "float" or "double", _ => false };
            if (!ok) Fail($"* GenerateContentRequest.{path}.format: only 'enum' and 'date-time' are supported for STRING type");
        }
    }

    private static void Unknown(JsonObject obj, HashSet<string> known, string path)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key)) Fail($"Invalid JSON payload received. Unknown name \"{key}\" at '{path}': Cannot find field.");
        }
    }

    private static void Fail(string message) => throw new InvalidOperationException(message);

    private static T Fail<T>(string message) => throw new InvalidOperationException(message);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$")]
    private static partial Regex NamePattern();
}
