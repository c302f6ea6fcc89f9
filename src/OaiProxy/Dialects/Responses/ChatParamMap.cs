using System.Globalization;
using System.Text;
using OaiProxy.Errors;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// Where each part of a translated chat request came from in the Responses request, so that a translated
/// connection's 400 (a local model refusing an image, Gemini a malformed call) names what the client sent —
/// <c>input[2].content[1]</c>, <c>text.format</c> — and not the chat request the proxy wrote in between —
/// <c>messages[3].content[1]</c>, <c>response_format</c>. Conversation positions before the request's own input
/// (the stored conversation of <c>previous_response_id</c>) are named <c>previous_response_id</c>.
/// </summary>
internal sealed class ChatParamMap(int historyCount, bool stringInput)
{
    private const string Messages = "messages[";

    private static readonly (string Chat, string Responses)[] Fields =
    [
        ("response_format", "text.format"), ("max_completion_tokens", "max_output_tokens"), ("reasoning_effort", "reasoning.effort"),
    ];

    // Per chat message: the Responses path it came from, and whether its content parts are the item's, one for one.
    private readonly List<(string Path, bool SameParts)> _messages = [];

    /// <summary>The Responses path of conversation item <paramref name="index"/>; -1 for <c>instructions</c>.</summary>
    public string Path(int index) => index switch
    {
        < 0 => "instructions",
        _ when index < historyCount => "previous_response_id",
        _ when stringInput => "input",
        _ => $"input[{(index - historyCount).ToString(CultureInfo.InvariantCulture)}]",
    };

    /// <summary>Records the next chat message written, made from conversation item <paramref name="index"/>.</summary>
    public void Add(int index, bool sameParts = false) => _messages.Add((Path(index), sameParts && index >= historyCount && !stringInput));

    /// <summary>The error with its param, and the same names in its message, in the Responses request's terms.</summary>
    public ProxyError ToResponses(ProxyError error)
    {
        if (error.Param is not { } param) return error;
        string mapped;
        var message = error.Message;
        if (param.StartsWith(Messages, StringComparison.Ordinal))
        {
            mapped = MapMessages(param);
            message = MapMessages(message);
        }
        else if (param.StartsWith("tools[", StringComparison.Ordinal))
        {
            // Namespaces are flattened and hosted tools dropped, so chat's positions are not the client's.
            mapped = "tools";
        }
        else if (Fields.FirstOrDefault(f => param == f.Chat || param.StartsWith(f.Chat + ".", StringComparison.Ordinal)) is { Chat: not null } field)
        {
            mapped = field.Responses;
            message = message.Replace($"'{field.Chat}'", $"'{field.Responses}'", StringComparison.Ordinal)
                .Replace($"\"{field.Chat}\"", $"\"{field.Responses}\"", StringComparison.Ordinal);
        }
        else
        {
            return error;
        }
        return error with { Param = mapped, Message = message };
    }

    // Each "messages[N]" (with the ".content[k]" after it when the parts are the item's own) becomes its Responses path.
    private string MapMessages(string text)
    {
        var result = new StringBuilder(text.Length);
        var at = 0;
        for (var i = 0; i < 64; i++)
        {
            var start = text.IndexOf(Messages, at, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf(']', start);
            if (end < 0 || !int.TryParse(text.AsSpan(start + Messages.Length, end - start - Messages.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                || n >= _messages.Count)
            {
                break;
            }
            var (path, sameParts) = _messages[n];
            result.Append(text, at, start - at).Append(path);
            at = end + 1;
            if (!sameParts && text.AsSpan(at).StartsWith(".content[") && text.IndexOf(']', at) is var close and > 0) at = close + 1;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }
}
