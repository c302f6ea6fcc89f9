namespace OaiProxy.Logging;

/// <summary>lm-proxy's <c>BaseLogger</c>: entry, optionally transformed, handed to a writer.</summary>
internal sealed class BaseLogger(ILogWriter writer, ILogEntryTransformer? transformer) : IRequestLogger
{
    public ValueTask LogAsync(RequestLogEntry entry, CancellationToken cancellationToken)
    {
        if (transformer is null && writer is IJsonEntryWriter direct) return direct.WriteEntryAsync(entry, cancellationToken);
        var json = LogEntryJson.ToJson(entry);
        return writer.WriteAsync(transformer is null ? json : transformer.Transform(json), cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);
}
