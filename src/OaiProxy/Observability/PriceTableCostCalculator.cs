using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Logging;
using OaiProxy.Runtime;
using OaiProxy.Usage;

namespace OaiProxy.Observability;

/// <summary>
/// The default <see cref="ICostCalculator"/>: the config's <c>prices</c> (over the built-in list), the same table
/// that costs usage records. A model with no known price reports no cost rather than zero.
/// </summary>
internal sealed class PriceTableCostCalculator(IServiceProvider services) : ICostCalculator
{
    private ProxyRuntime? _runtime;

    public double? CostUsd(RequestLogEntry entry)
    {
        if (entry.Usage is null) return null;
        // Resolved late: the runtime's snapshot factory is what hands the metrics logger its entries.
        _runtime ??= services.GetRequiredService<ProxyRuntime>();
        var nanos = _runtime.Current.Config.Prices.CostNanos(entry.Usage, entry.UpstreamModel, entry.Model);
        return nanos > 0 ? nanos / 1e9 : null;
    }
}
