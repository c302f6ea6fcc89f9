namespace OaiProxy.Local;

/// <summary>The OpenAI <c>finish_reason</c> values the local engine produces.</summary>
public static class LocalFinishReasons
{
    /// <summary>The model emitted an end-of-generation token, or a stop sequence matched.</summary>
    public const string Stop = "stop";

    /// <summary>max_tokens was reached, or the context is full.</summary>
    public const string Length = "length";
}
