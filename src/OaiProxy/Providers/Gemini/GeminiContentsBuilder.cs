using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Errors;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// OpenAI <c>messages</c> to Gemini's <c>systemInstruction</c> and <c>contents</c>:
/// <list type="number">
/// <item>system and developer messages, wherever they are, become one <c>systemInstruction</c> part each;</item>
/// <item>user text, images (data URLs inline; https URLs downloaded by the proxy), audio and files become parts;</item>
/// <item>assistant signed thoughts (<see cref="GeminiThoughtBlocks"/>), text, then <c>functionCall</c> parts
/// (arguments parsed, Gemini id and thought signature recovered from the tool-call id) form a <c>model</c> turn;</item>
/// <item>tool results become <c>functionResponse</c> parts on the user side, named from the call they answer;</item>
/// <item>consecutive turns of one role are merged (so parallel results share one turn), empty turns are dropped, and
/// a placeholder user turn opens a conversation that would otherwise start with the model or be empty.</item>
/// </list>
/// </summary>
internal sealed class GeminiContentsBuilder(GeminiContentsBuilder.ImageLoader loadImage)
{
    /// <summary>Downloads an image URL (the proxy's SSRF-guarded fetcher in production).</summary>
    public delegate ValueTask<GeminiMedia> ImageLoader(string url, string param, CancellationToken cancellationToken);

    /// <summary>Text of the user turn added where Gemini needs one and the client sent none.</summary>
    public const string Placeholder = "Please continue.";

    /// <summary>Gemini 3's documented value for a replayed function call whose thought signature is lost.</summary>
    public const string SkipSignature = "skip_thought_signature_validator";

    private readonly JsonArray _system = [];
    private readonly List<(string Role, JsonArray Parts)> _turns = [];
    private readonly Dictionary<string, (string Name, string? GeminiId)> _calls = new(StringComparer.Ordinal);

    public async ValueTask<(JsonObject? SystemInstruction, JsonArray Contents)> BuildAsync(JsonElement messages, CancellationToken cancellationToken)
    {
        if (messages.ValueKind != JsonValueKind.Array) throw OpenAiRequestFields.Wrong("messages", "an array");
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            await AddAsync(message, i++, cancellationToken);
        }
        if (_turns.Count == 0 || _turns[0].Role == "model") _turns.Insert(0, ("user", new JsonArray(Text(Placeholder))));
        var contents = new JsonArray(_turns.Select(t => (JsonNode)new JsonObject { ["role"] = t.Role, ["parts"] = t.Parts }).ToArray());
        var system = _system.Count == 0 ? null : new JsonObject { ["parts"] = _system };
        return (system, contents);
    }

    private async ValueTask AddAsync(JsonElement message, int index, CancellationToken cancellationToken)
    {
        var param = $"messages[{index}]";
        var role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String
            ? r.GetString()!
            : throw new GeminiTranslationException(ProxyError.BadRequest($"Missing required parameter: '{param}.role'.", param + ".role", ErrorCodes.MissingField));
        message.TryGetProperty("content", out var content);
        switch (role)
        {
            case "system" or "developer":
                if (JoinText(content, param) is { Length: > 0 } instruction) _system.Add((JsonNode)Text(instruction));
                return;
            case "user":
                Append("user", await UserPartsAsync(content, param, cancellationToken));
                return;
            case "assistant":
                Append("model", AssistantParts(message, content, param));
                return;
            case "tool":
                Append("user", new JsonArray(ToolResult(message, content, param)));
                return;
            case "function":
                var name = message.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "function";
                Append("user", new JsonArray(FunctionResponse(name, null, JoinText(content, param) ?? "")));
                return;
            default:
                throw new GeminiTranslationException(ProxyError.BadRequest(
                    $"Invalid value for '{param}.role': \"{role}\"; use system, developer, user, assistant or tool.", param + ".role", "invalid_value"));
        }
    }

    private void Append(string role, JsonArray parts)
    {
        if (parts.Count == 0) return;
        if (_turns.Count > 0 && _turns[^1].Role == role)
        {
            foreach (var part in parts.ToList())
            {
                parts.Remove(part);
                _turns[^1].Parts.Add(part);
            }
            return;
        }
        _turns.Add((role, parts));
    }

    private async ValueTask<JsonArray> UserPartsAsync(JsonElement content, string param, CancellationToken cancellationToken)
    {
        var parts = new JsonArray();
        if (content.ValueKind == JsonValueKind.String)
        {
            if (content.GetString()!.Length > 0) parts.Add((JsonNode)Text(content.GetString()!));
            return parts;
        }
        if (content.ValueKind != JsonValueKind.Array) throw OpenAiRequestFields.Wrong(param + ".content", "a string or an array of content parts");
        var j = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partParam = $"{param}.content[{j++}]";
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "text":
                    if (part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length > 0)
                    {
                        parts.Add((JsonNode)Text(text.GetString()!));
                    }
                    break;
                case "image_url":
                    var url = part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object &&
                              image.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : null;
                    if (url is null) throw new GeminiTranslationException(ProxyError.BadRequest($"Missing required parameter: '{partParam}.image_url.url'.", partParam + ".image_url.url", ErrorCodes.MissingField));
                    parts.Add((JsonNode)Inline(GeminiMedia.FromDataUrl(url) ?? await LoadAsync(url, partParam + ".image_url.url", cancellationToken)));
                    break;
                case "input_audio":
                    parts.Add((JsonNode)Audio(part, partParam));
                    break;
                case "file":
                    parts.Add((JsonNode)File(part, partParam));
                    break;
                default:
                    throw new GeminiTranslationException(ProxyError.BadRequest(
                        $"Content parts of type \"{type}\" cannot be sent to Gemini ('{partParam}.type'); use text, image_url, input_audio or file.", partParam + ".type", "invalid_value"));
            }
        }
        return parts;
    }

    private ValueTask<GeminiMedia> LoadAsync(string url, string param, CancellationToken cancellationToken)
    {
        if (IsDataUrl(url)) throw NotBase64Media(param, "invalid_image_url");
        return loadImage(url, param, cancellationToken);
    }

    private static bool IsDataUrl(string url) => url.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

    private static GeminiTranslationException NotBase64Media(string param, string code) =>
        new(ProxyError.BadRequest($"The data URL in '{param}' is not base64 media; write it as data:<mime>;base64,<data>.", param, code));

    private static JsonObject Audio(JsonElement part, string param)
    {
        if (!part.TryGetProperty("input_audio", out var audio) || !audio.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String)
        {
            throw new GeminiTranslationException(ProxyError.BadRequest($"Missing required parameter: '{param}.input_audio.data'.", param + ".input_audio.data", ErrorCodes.MissingField));
        }
        var format = audio.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "wav";
        return Inline(new GeminiMedia(format.Contains('/', StringComparison.Ordinal) ? format : "audio/" + format, data.GetString()!));
    }

    private static JsonObject File(JsonElement part, string param)
    {
        var file = part.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        if (file.ValueKind == JsonValueKind.Object && file.TryGetProperty("file_data", out var data) && data.ValueKind == JsonValueKind.String)
        {
            var text = data.GetString()!;
            if (GeminiMedia.FromDataUrl(text) is { } media) return Inline(media);
            if (IsDataUrl(text)) throw NotBase64Media(param + ".file.file_data", "invalid_value");
            // Raw base64 without a data URL: the file name or the bytes say what it is.
            var name = file.TryGetProperty("filename", out var fn) && fn.ValueKind == JsonValueKind.String ? fn.GetString()! : "";
            var mime = name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) ? "application/pdf" : MediaSniffer.SniffBase64(text) ?? "application/octet-stream";
            return Inline(new GeminiMedia(mime, text));
        }
        throw new GeminiTranslationException(ProxyError.BadRequest(
            $"'{param}.file' must carry file_data (a data URL); OpenAI file ids cannot be sent to Gemini.", param + ".file", ErrorCodes.UnsupportedParameter));
    }

    private JsonArray AssistantParts(JsonElement message, JsonElement content, string param)
    {
        var parts = new JsonArray();
        // Signed thoughts of an earlier answer go back first, as Gemini sent them; its text keeps its own signature.
        var (thoughts, textSignature) = GeminiThoughtBlocks.Read(message);
        foreach (var thought in thoughts) parts.Add((JsonNode)thought);
        if (JoinText(content, param) is { Length: > 0 } text)
        {
            var answer = Text(text);
            if (textSignature is not null) answer["thoughtSignature"] = textSignature;
            parts.Add((JsonNode)answer);
        }
        if (!message.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array) return parts;
        var signed = false;
        JsonObject? first = null;
        var j = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var callParam = $"{param}.tool_calls[{j++}]";
            var id = call.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : null;
            var function = call.TryGetProperty("function", out var fn) && fn.ValueKind == JsonValueKind.Object ? fn : default;
            var name = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
            if (id is null || name is null)
            {
                throw new GeminiTranslationException(ProxyError.BadRequest($"'{callParam}' needs an id and a function name.", callParam, ErrorCodes.MissingField));
            }
            var (geminiId, signature) = GeminiToolCallId.Parse(id);
            _calls[id] = (name, geminiId);
            var functionCall = new JsonObject { ["name"] = name, ["args"] = Arguments(function, callParam) };
            if (geminiId is not null) functionCall["id"] = geminiId;
            var part = new JsonObject { ["functionCall"] = functionCall };
            if (signature is not null)
            {
                part["thoughtSignature"] = signature;
                signed = true;
            }
            first ??= part;
            parts.Add((JsonNode)part);
        }
        // Gemini 3 rejects a replayed call turn without a signature (calls made by another model, or lost ids).
        if (first is not null && !signed) first["thoughtSignature"] = SkipSignature;
        return parts;
    }

    private static JsonObject Arguments(JsonElement function, string param)
    {
        var text = function.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
        if (string.IsNullOrWhiteSpace(text)) return new JsonObject();
        try
        {
            if (JsonNode.Parse(text) is JsonObject args) return args;
        }
        catch (JsonException)
        {
            // Reported below.
        }
        throw new GeminiTranslationException(ProxyError.BadRequest(
            $"'{param}.function.arguments' must be a JSON object in a string; Gemini needs the arguments as an object.", param + ".function.arguments", "invalid_value"));
    }

    private JsonObject ToolResult(JsonElement message, JsonElement content, string param)
    {
        var id = message.TryGetProperty("tool_call_id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : null;
        if (id is null)
        {
            throw new GeminiTranslationException(ProxyError.BadRequest($"Missing required parameter: '{param}.tool_call_id'.", param + ".tool_call_id", ErrorCodes.MissingField));
        }
        if (!_calls.TryGetValue(id, out var call))
        {
            throw new GeminiTranslationException(ProxyError.BadRequest(
                $"'{param}.tool_call_id' is \"{id}\", which no earlier assistant message's tool_calls contains; Gemini needs the function name, so send the assistant message with that call before its result.",
                param + ".tool_call_id", "invalid_value"));
        }
        return FunctionResponse(call.Name, call.GeminiId, JoinText(content, param) ?? "");
    }

    private static JsonObject FunctionResponse(string name, string? geminiId, string result)
    {
        JsonNode response;
        try
        {
            response = JsonNode.Parse(result) as JsonObject ?? Wrap(result);
        }
        catch (JsonException)
        {
            response = Wrap(result);
        }
        var functionResponse = new JsonObject { ["name"] = name, ["response"] = response };
        if (geminiId is not null) functionResponse["id"] = geminiId;
        return new JsonObject { ["functionResponse"] = functionResponse };
    }

    // Gemini wants an object; the SDKs' convention for anything else is {"output": …}.
    private static JsonObject Wrap(string result) => new() { ["output"] = result };

    private static string? JoinText(JsonElement content, string param)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    {
                        if (text.Length > 0) text.Append('\n');
                        text.Append(t.GetString());
                    }
                    else if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("refusal", out var r) && r.ValueKind == JsonValueKind.String)
                    {
                        if (text.Length > 0) text.Append('\n');
                        text.Append(r.GetString());
                    }
                }
                return text.ToString();
            default:
                throw OpenAiRequestFields.Wrong(param + ".content", "a string or an array of content parts");
        }
    }

    private static JsonObject Text(string text) => new() { ["text"] = text };

    private static JsonObject Inline(GeminiMedia media) =>
        new() { ["inlineData"] = new JsonObject { ["mimeType"] = media.MimeType, ["data"] = media.Base64 } };
}
