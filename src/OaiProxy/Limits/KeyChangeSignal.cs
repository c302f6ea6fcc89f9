namespace OaiProxy.Limits;

/// <summary>
/// Tells every instance that stored keys changed, so each refreshes its key cache at once instead of at its next
/// poll. With <c>redis_url</c> the signal travels over Redis pub/sub; without it, it stays in this process.
/// </summary>
public sealed class KeyChangeSignal
{
    private Action? _publisher;

    /// <summary>Raised when this or another instance reported a key change.</summary>
    public event Action? Changed;

    /// <summary>Reports a key change made by this instance (after it is committed).</summary>
    public void Publish()
    {
        if (Volatile.Read(ref _publisher) is { } publish) publish();
        else Raise();
    }

    internal void Raise() => Changed?.Invoke();

    internal void UsePublisher(Action? publisher) => Volatile.Write(ref _publisher, publisher);
}
