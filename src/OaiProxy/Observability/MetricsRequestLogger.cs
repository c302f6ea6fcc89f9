using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Runtime;

namespace OaiProxy.Observability;

/// <summary>
/// Turns every finished request into request-level metrics, on the background log dispatcher. Labels carry no key
/// material: the group name, the connection, the models, the status and the error's label from a fixed set, never a
/// key, its id or an upstream's free text.
/// Client-chosen model names only become a label once a route matched them, so unknown names cannot flood the
/// metric with series.
/// </summary>
internal sealed class MetricsRequestLogger(ProxyMetrics metrics, IServiceProvider services, ICostCalculator costs) : IRequestLogger
{
    internal const string None = "none";
    private ProxyRuntime? _runtime;

    public ValueTask LogAsync(RequestLogEntry entry, CancellationToken cancellationToken)
    {
        Record(entry);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private void Record(RequestLogEntry entry)
    {
        var errorType = ErrorType(entry);
        var common = new TagList
        {
            { ProxyTelemetry.OperationName, ProxyTelemetry.GenAiOperation(entry.Operation) },
            { ProxyTelemetry.ProviderName, ProviderName(entry.Connection) },
            { ProxyTelemetry.RequestModel, ClientModel(entry) },
            { ProxyTelemetry.Connection, entry.Connection ?? None },
            { ProxyTelemetry.UpstreamModel, entry.UpstreamModel ?? None },
            { ProxyTelemetry.Group, entry.Group ?? None },
        };
        var outcome = common;
        outcome.Add(ProxyTelemetry.Endpoint, entry.Operation);
        outcome.Add(ProxyTelemetry.StatusCode, BoxedStatus.Of(entry.Status));
        outcome.Add(ProxyTelemetry.Stream, entry.Stream ? "true" : "false");
        if (errorType is not null) outcome.Add(ProxyTelemetry.ErrorType, errorType);

        metrics.Requests.Add(1, outcome);
        if (entry.Duration is { } duration) metrics.Duration.Record(duration.TotalSeconds, outcome);
        if (entry.TimeToFirstToken is { } firstToken && errorType is null) metrics.TimeToFirstToken.Record(firstToken.TotalSeconds, common);
        if (entry.Overhead is { } overhead)
        {
            metrics.Overhead.Record(overhead.TotalSeconds,
                new KeyValuePair<string, object?>(ProxyTelemetry.Endpoint, entry.Operation),
                new KeyValuePair<string, object?>(ProxyTelemetry.Connection, entry.Connection ?? None),
                new KeyValuePair<string, object?>(ProxyTelemetry.Stream, entry.Stream ? "true" : "false"));
        }
        if (Rejection(entry) is { } reason)
        {
            metrics.Rejections.Add(1, new KeyValuePair<string, object?>(ProxyTelemetry.RejectionReason, reason),
                new KeyValuePair<string, object?>(ProxyTelemetry.Group, entry.Group ?? None));
        }
        if (entry.Usage is { } usage)
        {
            RecordTokens(common, "input", usage.PromptTokens, histogram: true);
            RecordTokens(common, "output", usage.CompletionTokens, histogram: true);
            RecordTokens(common, "cached", usage.CachedTokens, histogram: false);
            RecordTokens(common, "reasoning", usage.ReasoningTokens, histogram: false);
        }
        if (costs.CostUsd(entry) is { } cost and > 0) metrics.Cost.Add(cost, common);
    }

    private void RecordTokens(TagList common, string type, long count, bool histogram)
    {
        var tags = common;
        tags.Add(ProxyTelemetry.TokenType, type);
        if (histogram) metrics.TokenUsage.Record(count, tags);
        if (count > 0 || histogram) metrics.Tokens.Add(count, tags);
    }

    private static string ClientModel(RequestLogEntry entry) =>
        entry.Model is null ? None : entry.Error?.Code == ErrorCodes.ModelNotFound ? "unknown" : entry.Model;

    /// <summary>The error's label (<see cref="ErrorLabels"/>, a fixed set); "client_aborted" for a client that left; null on success.</summary>
    private static string? ErrorType(RequestLogEntry entry)
    {
        if (entry.Error is { } error) return ErrorLabels.Of(error);
        if (entry.ClientAborted) return "client_aborted";
        return entry.Status is >= 200 and < 400 ? null : "http_" + entry.Status;
    }

    /// <summary>Requests the proxy refused before any upstream attempt: bad key, rate limit, forbidden connection.</summary>
    private static string? Rejection(RequestLogEntry entry)
    {
        if (entry.Attempts > 0 || entry.Error is not { } error) return null;
        return error.Code switch
        {
            ErrorCodes.InvalidApiKey => "auth",
            ErrorCodes.RateLimitExceeded => "rate_limit",
            ErrorCodes.ConnectionNotAllowed => "permission",
            _ => null,
        };
    }

    /// <summary>The GenAI semantic-convention provider name of the connection's <c>api_type</c>.</summary>
    private string ProviderName(string? connection)
    {
        if (connection is null) return None;
        // Resolved late: the runtime's snapshot factory is what hands this logger its entries.
        _runtime ??= services.GetRequiredService<ProxyRuntime>();
        var apiType = _runtime.Current.Config.FindConnection(connection)?.ApiType;
        return apiType switch
        {
            null => None,
            "open_ai" or "openai" => "openai",
            "anthropic" => "anthropic",
            "google_ai_studio" or "google" => "gcp.gemini",
            "google_vertex_ai" => "gcp.vertex_ai",
            "mistral" => "mistral_ai",
            "groq" => "groq",
            "deepseek" => "deepseek",
            "xai" => "x_ai",
            "perplexity" => "perplexity",
            _ => apiType,
        };
    }
}
