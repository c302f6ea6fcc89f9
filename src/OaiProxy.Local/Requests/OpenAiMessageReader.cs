using System.Text.Json;

namespace OaiProxy.Local.Requests;

/// <summary>Reads OpenAI chat messages into plain-text <see cref="LocalChatMessage"/>s.</summary>
internal static class OpenAiMessageReader
{
    public static List<LocalChatMessage> Read(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "messages", out var messages) || messages.ValueKind != JsonValueKind.Array
            || messages.GetArrayLength() == 0)
        {
            throw new LocalRequestException("messages", "'messages' must be a non-empty array of chat messages.");
        }

        var result = new List<LocalChatMessage>(messages.GetArrayLength());
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            result.Add(ReadMessage(message, $"messages[{i++}]"));
        }

        return result;
    }

    private static LocalChatMessage ReadMessage(JsonElement message, string at)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new LocalRequestException(at, $"'{at}' must be an object with 'role' and 'content'.");
        }

        var role = JsonFields.TryGet(message, "role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
        role = role switch
        {
            "system" or "user" or "assistant" => role,
            "developer" => "system",
            "tool" or "function" => throw LocalRequestException.Unsupported(
                $"{at}.role", $"'{at}.role' is '{role}', but local models do not support tool calling; send the tool result as a 'user' message instead."),
            _ => throw new LocalRequestException(
                $"{at}.role", $"'{at}.role' is '{role}'; use 'system', 'developer', 'user' or 'assistant'."),
        };
        if (JsonFields.TryGet(message, "tool_calls", out _) || JsonFields.TryGet(message, "function_call", out _))
        {
            throw LocalRequestException.Unsupported(
                $"{at}.tool_calls", $"'{at}' carries tool calls, but local models do not support tool calling; remove them.");
        }

        if (JsonFields.TryGet(message, "audio", out _))
        {
            throw LocalRequestException.Unsupported($"{at}.audio", $"'{at}.audio' is not supported by local models; send text only.");
        }

        return new LocalChatMessage(role, ReadContent(message, at));
    }

    private static string ReadContent(JsonElement message, string at)
    {
        if (!JsonFields.TryGet(message, "content", out var content))
        {
            throw new LocalRequestException($"{at}.content", $"'{at}.content' is missing; give the message text.");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new LocalRequestException($"{at}.content", $"'{at}.content' must be a string or an array of text parts.");
        }

        var texts = new List<string>();
        var j = 0;
        foreach (var part in content.EnumerateArray())
        {
            texts.Add(ReadTextPart(part, $"{at}.content[{j++}]"));
        }

        return string.Join('\n', texts);
    }

    private static string ReadTextPart(JsonElement part, string at)
    {
        var type = part.ValueKind == JsonValueKind.Object && JsonFields.TryGet(part, "type", out var t)
            && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text" when JsonFields.TryGet(part, "text", out var text) && text.ValueKind == JsonValueKind.String:
                return text.GetString()!;
            case "image_url" or "input_audio" or "file":
                throw LocalRequestException.Unsupported(
                    at, $"'{at}' is an '{type}' part, but local models accept text only; remove it or route the request to a multimodal model.");
            default:
                throw new LocalRequestException(at, $"'{at}' must be a text part: {{\"type\": \"text\", \"text\": \"...\"}}.");
        }
    }
}
