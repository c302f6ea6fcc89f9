using System.Diagnostics.Metrics;

namespace OaiProxy.Server;

/// <summary>
/// The number of open outbound HTTP connections of this process, from the runtime's own
/// <c>http.client.open_connections</c> instrument (it changes only when a connection opens or closes, never per
/// request), so the idle trimmer can tell when the upstream pool has let a burst's connections go.
/// </summary>
internal sealed class PooledConnectionCount : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _open;

    public PooledConnectionCount()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.open_connections") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, change, _, _) => Interlocked.Add(ref _open, change));
        _listener.Start();
    }

    public long Open => Interlocked.Read(ref _open);

    public void Dispose() => _listener.Dispose();
}
