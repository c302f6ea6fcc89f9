namespace OaiProxy.Providers.Anthropic;

/// <summary>Anthropic <c>stop_reason</c> to OpenAI <c>finish_reason</c> (protocols.md 4.7).</summary>
internal static class AnthropicFinishReasons
{
    /// <summary>The OpenAI reason; <paramref name="known"/> is false for a value this table has not met (mapped to stop).</summary>
    public static string ToOpenAi(string? stopReason, out bool known)
    {
        known = true;
        switch (stopReason)
        {
            case "end_turn" or "stop_sequence" or "pause_turn":
                return "stop";
            case "max_tokens" or "model_context_window_exceeded":
                return "length";
            case "tool_use":
                return "tool_calls";
            case "refusal":
                return "content_filter";
            default:
                known = false;
                return "stop";
        }
    }
}
