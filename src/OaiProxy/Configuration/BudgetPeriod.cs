namespace OaiProxy.Configuration;

/// <summary>Budget periods in UTC: the id of the current one (part of the Redis key) and how long its spend is kept.</summary>
public static class BudgetPeriod
{
    public static string Id(string period, DateTimeOffset now) => period switch
    {
        "daily" => now.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
        "monthly" => now.UtcDateTime.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture),
        _ => "total",
    };

    /// <summary>When the current period began; null for <c>total</c>.</summary>
    public static DateTimeOffset? Start(string period, DateTimeOffset now)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return period switch
        {
            "daily" => day,
            "monthly" => day.AddDays(1 - day.Day),
            _ => null,
        };
    }

    /// <summary>When the current period ends; null for <c>total</c>.</summary>
    public static DateTimeOffset? End(string period, DateTimeOffset now) => period switch
    {
        "daily" => Start(period, now)!.Value.AddDays(1),
        "monthly" => Start(period, now)!.Value.AddMonths(1),
        _ => null,
    };

    /// <summary>How long the period's spend counter must live: to the period's end and a day more (zero: for ever).</summary>
    public static TimeSpan SpendTtl(string period, DateTimeOffset now) =>
        End(period, now) is { } end ? end - now + TimeSpan.FromDays(1) : TimeSpan.Zero;
}
