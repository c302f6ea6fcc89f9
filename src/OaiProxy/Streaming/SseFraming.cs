namespace OaiProxy.Streaming;

/// <summary>The byte strings of OpenAI's SSE framing.</summary>
internal static class SseFraming
{
    public static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    public static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    public static ReadOnlySpan<byte> Done => "[DONE]"u8;

    public static ReadOnlySpan<byte> DoneEvent => "data: [DONE]\n\n"u8;
}
