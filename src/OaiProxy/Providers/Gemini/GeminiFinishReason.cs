namespace OaiProxy.Providers.Gemini;

/// <summary>Gemini's <c>finishReason</c> (an open set) to OpenAI's <c>finish_reason</c>.</summary>
internal static class GeminiFinishReason
{
    /// <summary>
    /// Any function call makes it <c>tool_calls</c> (Gemini ends those turns with STOP); MAX_TOKENS is <c>length</c>;
    /// the safety, recitation, blocklist, prohibited-content, SPII and language stops are <c>content_filter</c>;
    /// everything else, unknown values included, is <c>stop</c>.
    /// </summary>
    public static string ToOpenAi(string? reason, bool sawFunctionCall)
    {
        if (sawFunctionCall) return "tool_calls";
        return reason switch
        {
            "MAX_TOKENS" => "length",
            "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "LANGUAGE" or
                "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" => "content_filter",
            _ => "stop",
        };
    }
}
