using System.Text;
using System.Text.Json;
using OaiProxy.Usage;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// <c>count_tokens</c> for connections that cannot count natively: the translated request's text (messages, tool
/// calls, tool definitions) counted with <see cref="TokenEstimator"/>, plus the few tokens of framing chat formats
/// add per message. An estimate for budgeting, as Anthropic's own count is for its tokenizer only.
/// </summary>
internal static class MessagesTokenEstimate
{
    private const int PerMessage = 3;

    public static byte[] Count(JsonElement chat)
    {
        long tokens = 0;
        if (chat.TryGetProperty("messages", out var messages))
        {
            foreach (var message in messages.EnumerateArray())
            {
                tokens += PerMessage;
                if (message.TryGetProperty("content", out var content)) tokens += TokenEstimator.Count(Text(content));
                if (message.TryGetProperty("tool_calls", out var calls)) tokens += TokenEstimator.Count(calls.GetRawText());
            }
        }
        if (chat.TryGetProperty("tools", out var tools)) tokens += TokenEstimator.Count(tools.GetRawText());
        return Encoding.UTF8.GetBytes($$"""{"input_tokens":{{tokens}}}""");
    }

    private static string Text(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array) return "";
        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String) text.Append(t.GetString()).Append('\n');
        }
        return text.ToString();
    }
}
