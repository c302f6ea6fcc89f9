using System.Text.Json;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// OpenAI <c>finish_reason</c> to Anthropic <c>stop_reason</c> (protocols.md 4.7, reverse): <c>length</c> is
/// <c>max_tokens</c>, tool calls <c>tool_use</c>, <c>content_filter</c> <c>refusal</c>, and <c>stop</c> is
/// <c>stop_sequence</c> when the upstream names the matched sequence (vLLM's <c>stop_reason</c>) and it is one of
/// the client's, <c>end_turn</c> otherwise.
/// </summary>
internal static class MessagesStopReason
{
    public static (string StopReason, string? StopSequence) Map(string? finishReason, bool sawToolCalls, string? matched, IReadOnlyList<string> stopSequences)
    {
        if (finishReason is "tool_calls" or "function_call" || (sawToolCalls && finishReason is null or "stop")) return ("tool_use", null);
        return finishReason switch
        {
            "length" => ("max_tokens", null),
            "content_filter" => ("refusal", null),
            _ when matched is not null && stopSequences.Contains(matched) => ("stop_sequence", matched),
            _ => ("end_turn", null),
        };
    }

    /// <summary>The matched stop string some OpenAI-compatible servers put in the choice (vLLM, SGLang).</summary>
    public static string? Matched(JsonElement choice) =>
        choice.TryGetProperty("stop_reason", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
