using System.Text.Json.Nodes;

namespace OaiProxy.Logging;

/// <summary>Stores one transformed log record (lm-proxy's <c>log_writer</c>).</summary>
public interface ILogWriter
{
    ValueTask WriteAsync(JsonObject record, CancellationToken cancellationToken);

    ValueTask FlushAsync(CancellationToken cancellationToken);
}
