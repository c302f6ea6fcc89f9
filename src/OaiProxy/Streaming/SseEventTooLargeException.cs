namespace OaiProxy.Streaming;

/// <summary>An upstream event grew past the size limit; the stream is treated as garbage.</summary>
internal sealed class SseEventTooLargeException : IOException
{
    public SseEventTooLargeException() { }

    public SseEventTooLargeException(string message) : base(message) { }

    public SseEventTooLargeException(string message, Exception inner) : base(message, inner) { }
}
