using OaiProxy.Configuration;
using OaiProxy.Logging;

namespace OaiProxy.Storage.Usage;

/// <summary>
/// A system request logger: turns every finished request into a usage record and hands each batch the
/// <see cref="LogDispatcher"/> delivers to the <see cref="UsageSink"/> at its flush. Never on the request path.
/// </summary>
internal sealed class UsageRecorder(UsageSink sink, StorageService storage) : IRequestLogger
{
    private readonly Lock _lock = new();
    private List<UsageRecord> _batch = [];

    public ValueTask LogAsync(RequestLogEntry entry, CancellationToken cancellationToken)
    {
        var prices = storage.Config?.Current.Prices ?? PriceTable.BuiltIn;
        var record = UsageRecord.From(entry, prices);
        lock (_lock) _batch.Add(record);
        return ValueTask.CompletedTask;
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        List<UsageRecord> batch;
        lock (_lock)
        {
            batch = _batch;
            _batch = [];
        }
        await sink.WriteAsync(batch, cancellationToken);
    }
}
