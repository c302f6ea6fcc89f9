namespace OaiProxy.Runtime;

/// <summary>Keeps one snapshot alive for the length of a request.</summary>
internal readonly struct StateLease(ProxyState state) : IAsyncDisposable
{
    public ProxyState State { get; } = state;

    public ValueTask DisposeAsync() => State.ReleaseAsync();
}
