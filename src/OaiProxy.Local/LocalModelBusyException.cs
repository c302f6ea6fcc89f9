namespace OaiProxy.Local;

/// <summary>Every generation slot is busy and the wait queue is full (a 429/503 with Retry-After).</summary>
public sealed class LocalModelBusyException : Exception
{
    public LocalModelBusyException()
        : this("The local model is busy and its queue is full; retry later.")
    {
    }

    public LocalModelBusyException(string message)
        : base(message)
    {
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    public LocalModelBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    /// <param name="message">A whole sentence naming the model.</param>
    /// <param name="retryAfter">When a retry is likely to be admitted.</param>
    public LocalModelBusyException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>A suggested wait before retrying, estimated from recent generation times; at least one second.</summary>
    public TimeSpan RetryAfter { get; }
}
