using System.Collections.Concurrent;
using OaiProxy.Logging;

namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>Keeps every log entry the dispatcher hands over.</summary>
internal sealed class RecordingRequestLogger : IRequestLogger
{
    private readonly ConcurrentQueue<RequestLogEntry> _entries = new();

    public IReadOnlyCollection<RequestLogEntry> Entries => _entries;

    public ValueTask LogAsync(RequestLogEntry entry, CancellationToken cancellationToken)
    {
        _entries.Enqueue(entry);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
