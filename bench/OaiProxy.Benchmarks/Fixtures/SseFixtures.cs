using System.Text;

namespace OaiProxy.Benchmarks.Fixtures;

/// <summary>
/// Wire-shaped stream bodies for the streaming benchmarks: OpenAI chunks today; the Anthropic and Gemini
/// translator benchmarks build their upstream bodies with <see cref="Build"/> too.
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

    /// <summary>1,000 OpenAI chunks, the last one carrying usage, then <c>[DONE]</c>.</summary>
    public static byte[] OpenAiStream(int count = 1_000) =>
        Build(count, i => i == count - 1 ? OpenAiUsageChunk : OpenAiChunk, tail: "data: [DONE]\n\n");
}
