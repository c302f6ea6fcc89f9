using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Requests;
using OaiProxy.Routing;
using OaiProxy.Runtime;
using OaiProxy.Usage;

namespace OaiProxy.Limits;

/// <summary>
/// The pipeline's limit step: gathers the limits of the request's key, group, first connection and the proxy,
/// admits all of them at once (one store call), and answers 429 (or 503 when the shared store is down and the
/// policy is fail_closed) when one does not fit. A request without any limit costs a few null checks.
/// </summary>
internal sealed class LimitGate
{
    private readonly RedisLink _link;
    private readonly TimeProvider _time;

    internal LimitGate(RedisLink link, TimeProvider time)
    {
        _link = link;
        _time = time;
    }

    internal async ValueTask<(LimitTicket? Ticket, ProxyError? Error)> AdmitAsync(ProxyState state, AuthResult auth, GroupConfig group,
        IReadOnlyList<RouteTarget> targets, RequestBody body, string operation, string requestId, CancellationToken cancellationToken)
    {
        var config = state.Config;
        var model = body.Model;
        var connection = targets[0].Connection;
        var keyLimits = auth.KeyId is null ? null : auth.Limits;
        if (keyLimits is null && group.Limits is null && connection.Limits is null && config.Limits is null) return (null, null);

        // 1. Reservations: prompt tokens by a real tokenizer plus what the upstream is asked to write at most, and their
        //    price; the largest over the targets, since fallback may use any of them.
        long prompt = 0, reserved = 0, cost = 0;
        if (NeedsTokens(keyLimits) || NeedsTokens(group.Limits) || NeedsTokens(connection.Limits) || NeedsTokens(config.Limits))
        {
            // The body's tree is built on first use and shared with translation; requests without tpm or budget never build it here.
            prompt = PromptTokenCounter.Count(body.Root, cancellationToken);
            var writes = operation is not ("embeddings" or "messages.count_tokens");
            foreach (var target in targets)
            {
                var completion = writes ? OutputCap.Of(body, target, state.Provider(target.Connection.Name)) ?? config.DefaultMaxTokens : 0;
                reserved = Math.Max(reserved, prompt + completion);
                cost = Math.Max(cost, config.Prices.CostNanos(new UsageInfo(prompt, completion, prompt + completion), target.UpstreamModel, model));
            }
        }

        // 2. The checks, tightest scope first so a refusal names the key before the group.
        var now = _time.GetUtcNow();
        var lease = Lease(targets);
        var checks = new List<LimitCheck>(8);
        Add(checks, keyLimits, new LimitScope("key", auth.KeyName ?? auth.KeyId!), "k:" + auth.KeyId, reserved, cost, lease, now);
        Add(checks, group.Limits, new LimitScope("group", group.Name), "g:" + group.Name, reserved, cost, lease, now);
        Add(checks, connection.Limits, new LimitScope("connection", connection.Name), "c:" + connection.Name, reserved, cost, lease, now);
        Add(checks, config.Limits, LimitScope.Global, "*", reserved, cost, lease, now);
        foreach (var check in checks)
        {
            if (check.Meter == LimitMeter.Tokens && check.Amount > check.Limit) return (null, LimitErrors.TooLarge(check));
            if (check.Meter == LimitMeter.Budget && Unpriced(config, targets, model, operation) is { } unpriced) return (null, LimitErrors.NotPriced(check, unpriced));
        }

        // 3. One atomic admission for all of them.
        var plan = new LimitPlan(requestId, [.. checks]);
        var verdict = await _link.Store.AdmitAsync(plan, now.ToUnixTimeMilliseconds(), cancellationToken);
        if (verdict.Unavailable) return (null, LimitErrors.StoreUnavailable());
        var headers = RateLimitHeaders.Build(plan, verdict);
        if (!verdict.Admitted) return (null, LimitErrors.Refused(plan.Checks[verdict.Failed], verdict, now) with { Headers = headers });
        return (new LimitTicket(plan, verdict.Store!, prompt, reserved, config.Prices, _time, _link.Settlements) { Headers = headers }, null);
    }

    /// <summary>
    /// The first target the request may go to whose model has no price (neither the upstream model nor the requested
    /// one), unless the operator allows those: its spend could not be counted against a budget. Counting tokens costs
    /// nothing upstream, so it is never refused.
    /// </summary>
    private static RouteTarget? Unpriced(ProxyConfig config, IReadOnlyList<RouteTarget> targets, string model, string operation)
    {
        if (config.UnpricedModels == UnpricedModelPolicy.Allow || operation == "messages.count_tokens") return null;
        foreach (var target in targets)
        {
            if (config.Prices.Find(target.UpstreamModel) is null && config.Prices.Find(model) is null) return target;
        }
        return null;
    }

    private static bool NeedsTokens(LimitsConfig? limits) => limits is not null && (limits.Tpm is not null || limits.Budget is not null);

    private static TimeSpan Lease(IReadOnlyList<RouteTarget> targets)
    {
        var longest = TimeSpan.Zero;
        foreach (var target in targets)
        {
            if (target.Connection.Timeouts.Total > longest) longest = target.Connection.Timeouts.Total;
        }
        return longest + LimitDefaults.LeaseMargin;
    }

    private static void Add(List<LimitCheck> checks, LimitsConfig? limits, LimitScope scope, string key, long reserved, long cost, TimeSpan lease, DateTimeOffset now)
    {
        if (limits is null) return;
        if (limits.Rpm is { } rpm) checks.Add(new(LimitKind.Window, LimitMeter.Requests, scope, "rpm:" + key, rpm, 1, LimitDefaults.Window, TimeSpan.Zero));
        if (limits.Tpm is { } tpm) checks.Add(new(LimitKind.Window, LimitMeter.Tokens, scope, "tpm:" + key, tpm, reserved, LimitDefaults.Window, TimeSpan.Zero));
        if (limits.MaxParallel is { } parallel) checks.Add(new(LimitKind.Lease, LimitMeter.Parallel, scope, "par:" + key, parallel, 1, lease, TimeSpan.Zero));
        if (limits.Budget is { } budget)
        {
            checks.Add(new(LimitKind.Budget, LimitMeter.Budget, scope, $"bud:{key}:{BudgetPeriod.Id(budget.Period, now)}",
                (long)(budget.Amount * 1_000_000_000m), cost, lease, BudgetPeriod.SpendTtl(budget.Period, now)));
        }
    }
}
