using System.Text;

namespace OaiProxy.Benchmarks.Fixtures;

/// <summary>
/// Wire-shaped stream bodies for the streaming benchmarks: OpenAI chunks, and the Anthropic and Gemini upstream
/// streams the translators turn into OpenAI chunks, each with one text delta per event.
/// </summary>
public static class SseFixtures
{
    public const string OpenAiChunk =
        """{"id":"chatcmpl-bench0001","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-mini","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{"content":" token"},"logprobs":null,"finish_reason":null}]}""";

    public const string OpenAiUsageChunk =
        """{"id":"chatcmpl-bench0001","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-mini","system_fingerprint":"fp_bench","choices":[],"usage":{"prompt_tokens":14,"completion_tokens":1000,"total_tokens":1014}}""";

    /// <summary>An SSE body: <paramref name="count"/> events (optionally named), each <c>data: PAYLOAD</c>, then <paramref name="tail"/>.</summary>
    public static byte[] Build(int count, Func<int, string> payload, Func<int, string?>? eventName = null, string tail = "")
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (eventName?.Invoke(i) is { } name) text.Append("event: ").Append(name).Append('\n');
            text.Append("data: ").Append(payload(i)).Append("\n\n");
        }
        text.Append(tail);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// An Anthropic Messages stream: <c>message_start</c>, one text block of <paramref name="count"/> deltas,
    /// <c>message_delta</c> with the stop reason and usage, <c>message_stop</c>.
    /// </summary>
    public static byte[] AnthropicStream(int count = 1_000)
    {
        string[] head =
        [
            """{"type":"message_start","message":{"id":"msg_bench01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":14,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        ];
        string[] tail =
        [
            """{"type":"content_block_stop","index":0}""",
            """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":1000}}""",
            """{"type":"message_stop"}""",
        ];
        const string delta = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" token"}}""";
        var total = head.Length + count + tail.Length;
        return Build(total,
            i => i < head.Length ? head[i] : i < head.Length + count ? delta : tail[i - head.Length - count],
            i => i == 0 ? "message_start" : i == 1 ? "content_block_start" : i < head.Length + count ? "content_block_delta"
                : i == total - 3 ? "content_block_stop" : i == total - 2 ? "message_delta" : "message_stop");
    }

    /// <summary>A Gemini <c>streamGenerateContent?alt=sse</c> body: one text part per event, the last with the finish reason and usage.</summary>
    public static byte[] GeminiStream(int count = 1_000) => Build(count, i => i < count - 1
        ? """{"candidates":[{"content":{"parts":[{"text":" token"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash"}"""
        : """{"candidates":[{"content":{"parts":[{"text":" token"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":14,"candidatesTokenCount":1000,"totalTokenCount":1014},"modelVersion":"gemini-2.5-flash"}""");

    /// <summary>1,000 OpenAI chunks, the last one carrying usage, then <c>[DONE]</c>.</summary>
    public static byte[] OpenAiStream(int count = 1_000) =>
        Build(count, i => i == count - 1 ? OpenAiUsageChunk : OpenAiChunk, tail: "data: [DONE]\n\n");
}
