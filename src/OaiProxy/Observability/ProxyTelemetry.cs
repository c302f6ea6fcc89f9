using System.Diagnostics;

namespace OaiProxy.Observability;

/// <summary>
/// The proxy's trace source and the names shared by its spans and metrics. Spans cost nothing until a listener
/// (an OpenTelemetry tracer provider) subscribes to <see cref="SourceName"/>.
/// </summary>
internal static class ProxyTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/> and the <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string SourceName = "OaiProxy";

    /// <summary>Response header with the time the proxy itself added, in milliseconds.</summary>
    public const string OverheadHeader = "x-oaiproxy-overhead-ms";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>The GenAI semantic-convention operation of one of the proxy's API operations.</summary>
    internal static string GenAiOperation(string operation) => operation switch
    {
        "chat.completions" or "messages" or "responses" => "chat",
        "completions" => "text_completion",
        "embeddings" => "embeddings",
        _ => operation,
    };

    // Attribute names: OpenTelemetry GenAI and HTTP semantic conventions first, our own under "oaiproxy.".
    internal const string OperationName = "gen_ai.operation.name";
    internal const string ProviderName = "gen_ai.provider.name";
    internal const string RequestModel = "gen_ai.request.model";
    internal const string TokenType = "gen_ai.token.type";
    internal const string ErrorType = "error.type";
    internal const string StatusCode = "http.response.status_code";
    internal const string Endpoint = "oaiproxy.endpoint";
    internal const string Connection = "oaiproxy.connection";
    internal const string UpstreamModel = "oaiproxy.upstream_model";
    internal const string Group = "oaiproxy.group";
    internal const string Stream = "oaiproxy.stream";
    internal const string Attempt = "oaiproxy.attempt";
    internal const string Route = "oaiproxy.route";
    internal const string Strategy = "oaiproxy.route.strategy";
    internal const string Targets = "oaiproxy.route.targets";
    internal const string RejectionReason = "oaiproxy.rejection.reason";
    internal const string FallbackFrom = "oaiproxy.fallback.from";
    internal const string BreakerState = "oaiproxy.breaker.state";
    internal const string RequestId = "oaiproxy.request_id";
}
