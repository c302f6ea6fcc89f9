using System.Text;
using System.Threading.Channels;
using OaiProxy.Errors;
using OaiProxy.Providers;
using OaiProxy.Streaming;

namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>
/// A provider whose calls follow a script, one step per call; a call past the script fails the test. Each call
/// is reported with the token it was given, so a test can wait for it and watch its deadline.
/// </summary>
internal sealed class ScriptedProvider : IProvider
{
    public const string CompletionJson = """{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}""";

    private readonly Queue<Func<CancellationToken, ValueTask<ProviderResponse>>> _steps = new();
    private readonly Channel<CancellationToken> _calls = Channel.CreateUnbounded<CancellationToken>();
    private readonly Lock _lock = new();
    private int _count;

    /// <summary>Calls made so far.</summary>
    public int Calls => Volatile.Read(ref _count);

    public List<ChatUpstreamRequest> Requests { get; } = [];

    public ScriptedProvider Then(Func<CancellationToken, ValueTask<ProviderResponse>> step)
    {
        lock (_lock) _steps.Enqueue(step);
        return this;
    }

    public ScriptedProvider ThenAnswer(string json = CompletionJson) =>
        Then(_ => ValueTask.FromResult(ProviderResponse.Completed(Encoding.UTF8.GetBytes(json))));

    public ScriptedProvider ThenFail(ProxyError error) => Then(_ => ValueTask.FromResult(ProviderResponse.Failed(error)));

    public ScriptedProvider ThenStream(UpstreamEventStream stream) => Then(_ => ValueTask.FromResult(ProviderResponse.Streaming(stream)));

    /// <summary>A call that never answers; it ends only when its token is cancelled.</summary>
    public ScriptedProvider ThenHang() =>
        Then(cancellationToken => new ValueTask<ProviderResponse>(new TaskCompletionSource<ProviderResponse>().Task.WaitAsync(cancellationToken)));

    /// <summary>The token of the next call, once it was made.</summary>
    public ValueTask<CancellationToken> NextCallAsync(CancellationToken cancellationToken) => _calls.Reader.ReadAsync(cancellationToken);

    public ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken)
    {
        Func<CancellationToken, ValueTask<ProviderResponse>> step;
        lock (_lock)
        {
            var number = _count + 1;
            if (!_steps.TryDequeue(out step!)) throw new InvalidOperationException($"Call {number} was not scripted.");
            Requests.Add(request);
            Interlocked.Increment(ref _count);
        }
        _calls.Writer.TryWrite(cancellationToken);
        return step(cancellationToken);
    }

    public ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
