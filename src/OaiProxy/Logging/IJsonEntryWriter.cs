namespace OaiProxy.Logging;

/// <summary>A log writer that stores untransformed entries straight from <see cref="LogEntryJson.WriteTo"/>, with no tree in between.</summary>
internal interface IJsonEntryWriter
{
    ValueTask WriteEntryAsync(RequestLogEntry entry, CancellationToken cancellationToken);
}
