namespace OaiProxy.Configuration;

/// <summary>
/// Reads <c>rpm</c>, <c>tpm</c>, <c>max_parallel</c> and (where allowed) <c>budget = { amount, period }</c> from a
/// group, a connection or <c>[limits]</c>, and the top-level Redis settings.
/// </summary>
internal static class LimitsBinder
{
    /// <summary>Completion tokens reserved when a request sets neither <c>max_tokens</c> nor <c>max_completion_tokens</c>.</summary>
    public const int DefaultMaxTokens = 4096;

    public static readonly TimeSpan DefaultRedisTimeout = TimeSpan.FromMilliseconds(500);

    private static readonly Dictionary<string, RedisFailurePolicy> Policies = new(StringComparer.Ordinal)
    {
        ["fail_open"] = RedisFailurePolicy.FailOpen,
        ["fail_closed"] = RedisFailurePolicy.FailClosed,
    };

    /// <summary>The limits of one table; null when it sets none.</summary>
    public static LimitsConfig? Bind(ConfigSection s, bool allowBudget)
    {
        var rpm = Optional(s, "rpm");
        var tpm = Optional(s, "tpm");
        var parallel = Optional(s, "max_parallel");
        BudgetConfig? budget = null;
        if (s.Has("budget"))
        {
            if (allowBudget) budget = BindBudget(s);
            else
            {
                s.MarkRead("budget");
                s.Errors.Add(s.PathOf("budget"), "Budgets apply to keys and groups only; move this budget to a [groups.NAME] table or a stored key.");
            }
        }
        var limits = new LimitsConfig(rpm, tpm, parallel is null ? null : (int)parallel.Value, budget);
        return limits.IsEmpty ? null : limits;
    }

    /// <summary><c>[limits]</c>: global rpm, tpm, max_parallel, and <c>default_max_tokens</c>.</summary>
    public static (LimitsConfig? Global, int DefaultMaxTokens) BindGlobal(ConfigSection root)
    {
        var section = root.Section("limits");
        if (section is null) return (null, DefaultMaxTokens);
        var global = Bind(section, allowBudget: false);
        var maxTokens = section.Int("default_max_tokens", DefaultMaxTokens, 1, 10_000_000);
        section.ReportUnknownKeys();
        return (global, maxTokens);
    }

    public static RedisConfig BindRedis(ConfigSection root)
    {
        var url = root.String("redis_url");
        var policy = root.Enum("redis_failure_policy", RedisFailurePolicy.FailOpen, Policies);
        var timeout = root.Seconds("redis_timeout", DefaultRedisTimeout)!.Value;
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromSeconds(30))
        {
            root.Errors.Add("redis_timeout", "redis_timeout must be more than 0 and at most 30 seconds; 0.5 suits a Redis in the same data centre.");
        }
        var prefix = root.String("redis_key_prefix", "oaiproxy:")!;
        return new RedisConfig(string.IsNullOrWhiteSpace(url) ? null : url, policy, timeout, prefix);
    }

    private static long? Optional(ConfigSection s, string key)
    {
        if (!s.Has(key)) return null;
        var value = s.Number(key, null, 1, int.MaxValue);
        if (value is { } v && v != Math.Floor(v))
        {
            s.Errors.Add(s.PathOf(key), "Expected a whole number.");
            return null;
        }
        return value is null ? null : (long)value.Value;
    }

    private static BudgetConfig? BindBudget(ConfigSection s)
    {
        var budget = s.Section("budget");
        if (budget is null) return null;
        var amount = budget.Number("amount", null, 0);
        if (amount is null && !budget.Has("amount"))
        {
            s.Errors.Add(budget.PathOf("amount"), "A budget needs an amount in US dollars, such as budget = { amount = 50.0, period = \"monthly\" }.");
        }
        var period = budget.String("period", "monthly")!;
        if (!BudgetConfig.Periods.Contains(period))
        {
            s.Errors.Add(budget.PathOf("period"), $"Unknown budget period \"{period}\"; use \"daily\", \"monthly\" or \"total\".");
        }
        budget.ReportUnknownKeys();
        return amount is null ? null : new BudgetConfig((decimal)amount.Value, period);
    }
}
