using System.Diagnostics;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Routing;

namespace OaiProxy.Observability;

/// <summary>
/// The proxy's spans: one per request (child of ASP.NET Core's server span, so of the caller's
/// <c>traceparent</c>), one for routing, one client span per upstream attempt (parent of HttpClient's span, which
/// carries <c>traceparent</c> upstream). Every method is a no-op when no listener samples the span.
/// </summary>
internal static class ProxySpans
{
    public static Activity? StartRequest() => ProxyTelemetry.Source.StartActivity("oaiproxy.request");

    public static void FinishRequest(Activity? activity, RequestLogEntry log)
    {
        if (activity is null) return;
        var operation = ProxyTelemetry.GenAiOperation(log.Operation);
        activity.DisplayName = log.Model is null ? operation : $"{operation} {log.Model}";
        activity.SetTag(ProxyTelemetry.OperationName, operation);
        activity.SetTag(ProxyTelemetry.Endpoint, log.Operation);
        activity.SetTag(ProxyTelemetry.RequestModel, log.Model);
        activity.SetTag(ProxyTelemetry.Connection, log.Connection);
        activity.SetTag(ProxyTelemetry.UpstreamModel, log.UpstreamModel);
        activity.SetTag(ProxyTelemetry.Group, log.Group);
        activity.SetTag(ProxyTelemetry.Stream, log.Stream);
        activity.SetTag(ProxyTelemetry.StatusCode, log.Status);
        activity.SetTag(ProxyTelemetry.RequestId, log.Id);
        activity.SetTag(ProxyTelemetry.Attempt + "s", log.Attempts);
        if (log.Usage is { } usage)
        {
            activity.SetTag("gen_ai.usage.input_tokens", usage.PromptTokens);
            activity.SetTag("gen_ai.usage.output_tokens", usage.CompletionTokens);
        }
        SetOutcome(activity, log.Error);
        activity.Stop();
    }

    public static Activity? StartRoute(CompiledRoute route)
    {
        var activity = ProxyTelemetry.Source.StartActivity("oaiproxy.route");
        activity?.SetTag(ProxyTelemetry.Route, route.Config.Pattern);
        activity?.SetTag(ProxyTelemetry.Strategy, route.Config.Strategy.ToString());
        return activity;
    }

    public static Activity? StartAttempt(string connection, string upstreamModel, int attempt, string operation)
    {
        var activity = ProxyTelemetry.Source.StartActivity("oaiproxy.attempt", ActivityKind.Client);
        if (activity is null) return null;
        operation = ProxyTelemetry.GenAiOperation(operation);
        activity.DisplayName = $"{operation} {upstreamModel}";
        activity.SetTag(ProxyTelemetry.OperationName, operation);
        activity.SetTag(ProxyTelemetry.Connection, connection);
        activity.SetTag(ProxyTelemetry.RequestModel, upstreamModel);
        activity.SetTag(ProxyTelemetry.Attempt, attempt);
        return activity;
    }

    /// <summary>Ends an attempt span; a successful stream's span is ended later, with the stream.</summary>
    public static void FinishAttempt(Activity? activity, ProxyError? error, bool keepOpen)
    {
        if (activity is null) return;
        activity.SetTag(ProxyTelemetry.StatusCode, error?.Status ?? 200);
        SetOutcome(activity, error);
        if (!keepOpen) activity.Stop();
    }

    public static void FinishStream(Activity? activity, ProxyError? streamError)
    {
        if (activity is null) return;
        if (streamError is not null) SetOutcome(activity, streamError);
        activity.Stop();
    }

    private static void SetOutcome(Activity activity, ProxyError? error)
    {
        if (error is null) return;
        activity.SetTag(ProxyTelemetry.ErrorType, ErrorLabels.Of(error));
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
    }
}
