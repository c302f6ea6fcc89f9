namespace OaiProxy.Limits;

/// <summary>
/// Limit state of this process. One lock covers every set, so a plan is admitted all-or-nothing; the work under it
/// is a few dictionary look-ups per check, so the lock is held for well under a microsecond.
/// </summary>
internal sealed class MemoryLimitStore : ILimitStore
{
    private const int SweepAbove = 10_000;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, WeightedSet> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Spent, long ExpiresAt)> _spent = new(StringComparer.Ordinal);

    public ValueTask<LimitVerdict> AdmitAsync(LimitPlan plan, long nowMs, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Admit(plan, nowMs));

    public LimitVerdict Admit(LimitPlan plan, long nowMs)
    {
        var checks = plan.Checks;
        var used = new long[checks.Length];
        var oldest = new long[checks.Length];
        lock (_lock)
        {
            if (_sets.Count > SweepAbove) Sweep(nowMs);
            for (var i = 0; i < checks.Length; i++)
            {
                var check = checks[i];
                var set = Set(check.Key);
                set.Purge(nowMs);
                var total = set.Sum + (check.Kind == LimitKind.Budget ? Spent(check.Key, nowMs) : 0);
                if (total + check.Amount > check.Limit)
                {
                    used[i] = total;
                    oldest[i] = set.OldestExpiry();
                    return new LimitVerdict { Admitted = false, Failed = i, Used = used, OldestExpiry = oldest, NowMs = nowMs };
                }
                used[i] = total;
            }
            for (var i = 0; i < checks.Length; i++)
            {
                var check = checks[i];
                var set = _sets[check.Key];
                set.Add(plan.Id, check.Amount, nowMs + (long)check.Span.TotalMilliseconds);
                used[i] += check.Amount;
                oldest[i] = set.OldestExpiry();
            }
        }
        return new LimitVerdict { Admitted = true, Used = used, OldestExpiry = oldest, Store = this, NowMs = nowMs };
    }

    public ValueTask SettleAsync(LimitPlan plan, long[] actual, long nowMs, CancellationToken cancellationToken)
    {
        Settle(plan, actual, nowMs);
        return ValueTask.CompletedTask;
    }

    public void Settle(LimitPlan plan, long[] actual, long nowMs)
    {
        lock (_lock)
        {
            for (var i = 0; i < plan.Checks.Length; i++)
            {
                var check = plan.Checks[i];
                if (!_sets.TryGetValue(check.Key, out var set)) continue;
                switch (check.Kind)
                {
                    case LimitKind.Window when actual[i] >= 0:
                        set.Adjust(plan.Id, actual[i]);
                        break;
                    case LimitKind.Lease:
                        set.Remove(plan.Id);
                        break;
                    case LimitKind.Budget:
                        set.Remove(plan.Id);
                        var (spent, _) = _spent.GetValueOrDefault(check.Key);
                        _spent[check.Key] = (spent + Math.Max(0, actual[i]),
                            check.SpendTtl == TimeSpan.Zero ? long.MaxValue : nowMs + (long)check.SpendTtl.TotalMilliseconds);
                        break;
                }
            }
        }
    }

    /// <summary>The settled spend of a budget period (tests and diagnostics).</summary>
    public long SpentOf(string key)
    {
        lock (_lock) return _spent.GetValueOrDefault(key).Spent;
    }

    /// <summary>The live total of a set (tests and diagnostics).</summary>
    public long SumOf(string key, long nowMs)
    {
        lock (_lock)
        {
            if (!_sets.TryGetValue(key, out var set)) return 0;
            set.Purge(nowMs);
            return set.Sum;
        }
    }

    private WeightedSet Set(string key)
    {
        if (!_sets.TryGetValue(key, out var set)) _sets[key] = set = new WeightedSet();
        return set;
    }

    private long Spent(string key, long nowMs)
    {
        if (!_spent.TryGetValue(key, out var spent)) return 0;
        if (spent.ExpiresAt > nowMs) return spent.Spent;
        _spent.Remove(key);
        return 0;
    }

    private void Sweep(long nowMs)
    {
        foreach (var (key, set) in _sets)
        {
            set.Purge(nowMs);
            if (set.Count == 0) _sets.Remove(key);
        }
    }
}
