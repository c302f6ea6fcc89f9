using System.Text;
using OaiProxy.Errors;
using OaiProxy.Pipeline;

namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>Records every call the pipeline makes, in order, as a short line such as <c>event {"n":1}</c>.</summary>
internal sealed class RecordingAnswerWriter : IAnswerWriter
{
    private readonly List<string> _calls = [];
    private int _flushes;

    public IReadOnlyList<string> Calls => _calls;

    /// <summary>Runs on each flush with its number (1 for the first), after it was recorded.</summary>
    public Action<int>? OnFlush { get; set; }

    public void Prepare(ProxyAnswer answer) => _calls.Add("prepare");

    public Task WriteErrorAsync(ProxyError error, CancellationToken cancellationToken)
    {
        _calls.Add($"error {error.Status} {error.Code}");
        return Task.CompletedTask;
    }

    public Task WriteJsonAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        _calls.Add("json");
        return Task.CompletedTask;
    }

    public Task StartStreamAsync(CancellationToken cancellationToken)
    {
        _calls.Add("start");
        return Task.CompletedTask;
    }

    public void WriteEvent(ReadOnlySpan<byte> data) => _calls.Add("event " + Encoding.UTF8.GetString(data));

    public ValueTask WriteStreamEndAsync(CancellationToken cancellationToken)
    {
        _calls.Add("end");
        return ValueTask.CompletedTask;
    }

    public void WriteStreamError(ProxyError error) => _calls.Add($"stream-error {error.Code}");

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _calls.Add("flush");
        OnFlush?.Invoke(++_flushes);
        return ValueTask.CompletedTask;
    }
}
