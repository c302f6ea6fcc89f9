using System.Text.Json.Nodes;

namespace OaiProxy.Logging;

/// <summary>Shapes a log entry into the record a writer stores (lm-proxy's <c>entry_transformer</c>).</summary>
public interface ILogEntryTransformer
{
    JsonObject Transform(JsonObject entry);
}
