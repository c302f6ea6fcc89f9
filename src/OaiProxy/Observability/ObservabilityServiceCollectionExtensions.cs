using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OaiProxy.Logging;
using OaiProxy.Runtime;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OaiProxy.Observability;

/// <summary>
/// Registers metrics (Prometheus at <c>/metrics</c>, on unless <c>metrics = false</c>) and tracing. Traces are
/// exported over OTLP only when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or
/// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) variable is set; without an exporter no tracer provider exists, so the
/// proxy's spans are never even created. A host can add its own exporter with
/// <c>services.AddOpenTelemetry().WithTracing(...)</c>: the proxy's sources are already registered.
/// </summary>
internal static class ObservabilityServiceCollectionExtensions
{
    /// <summary>Meters read besides the proxy's own: ASP.NET Core's request metrics, by route.</summary>
    private static readonly string[] ExtraMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>Sources traced: the proxy's spans, ASP.NET Core's server span (which honours an incoming
    /// <c>traceparent</c>) and HttpClient's client span (which sends <c>traceparent</c> upstream).</summary>
    private static readonly string[] TraceSources = [ProxyTelemetry.SourceName, "Microsoft.AspNetCore", "System.Net.Http"];

    public static IServiceCollection AddOaiProxyObservability(this IServiceCollection services, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        services.AddMetrics();
        services.TryAddSingleton<ProxyMetrics>();
        services.TryAddSingleton<ICostCalculator>(sp => new PriceTableCostCalculator(sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestLogger, MetricsRequestLogger>(sp =>
            new MetricsRequestLogger(sp.GetRequiredService<ProxyMetrics>(), sp, sp.GetRequiredService<ICostCalculator>())));

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(environment("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : "oai-proxy"))
            .WithMetrics(metrics => metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.ConfigureOpenTelemetryMeterProvider((sp, builder) =>
        {
            // Read once at start-up, like api_prefix: turning metrics on or off needs a restart.
            if (!sp.GetRequiredService<ProxyRuntime>().Current.Config.Metrics) return;
            builder.AddMeter(ProxyTelemetry.SourceName).AddMeter(ExtraMeters);
            // Meters are matched by name process-wide; keep only this app's own, so two hosts in one process
            // (a library host, parallel tests) never count each other's traffic.
            var own = sp.GetRequiredService<IMeterFactory>();
            builder.AddView(instrument => instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, own) ? MetricStreamConfiguration.Drop : null);
        });
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(TraceSources));
        if (OtlpEnabled(environment, "TRACES"))
        {
            otel.WithTracing(tracing => tracing.AddOtlpExporter());
        }
        if (OtlpEnabled(environment, "METRICS"))
        {
            otel.WithMetrics(metrics => metrics.AddOtlpExporter());
        }
        return services;
    }

    /// <summary>The OpenTelemetry convention: an OTLP endpoint is set, the SDK is not disabled, the signal's exporter is not <c>none</c>.</summary>
    internal static bool OtlpEnabled(Func<string, string?> environment, string signal)
    {
        if (string.Equals(environment("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase)) return false;
        if (string.Equals(environment($"OTEL_{signal}_EXPORTER"), "none", StringComparison.OrdinalIgnoreCase)) return false;
        return !string.IsNullOrEmpty(environment("OTEL_EXPORTER_OTLP_ENDPOINT"))
            || !string.IsNullOrEmpty(environment($"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"));
    }
}
