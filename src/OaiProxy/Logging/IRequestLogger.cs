namespace OaiProxy.Logging;

/// <summary>
/// Receives every finished request, on a background task, never on the request path. A custom logger is a public
/// type with this interface and a constructor taking nothing or a <c>System.Text.Json.Nodes.JsonObject</c>.
/// </summary>
public interface IRequestLogger
{
    ValueTask LogAsync(RequestLogEntry entry, CancellationToken cancellationToken);

    /// <summary>Makes everything logged so far durable (called after each batch and at shutdown).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
