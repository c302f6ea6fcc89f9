using StackExchange.Redis;

namespace OaiProxy.Limits;

/// <summary>
/// Limit state in Redis, shared by every instance: one <see cref="LimitScripts.Admit"/> call per request for all
/// its checks, one <see cref="LimitScripts.Settle"/> call at its end. Faults surface as exceptions for
/// <see cref="FailoverLimitStore"/> to apply the policy.
/// </summary>
internal sealed class RedisLimitStore(IDatabaseAsync database, string prefix) : ILimitStore
{
    public async ValueTask<LimitVerdict> AdmitAsync(LimitPlan plan, long nowMs, CancellationToken cancellationToken)
    {
        var checks = plan.Checks;
        var keys = Keys(checks);
        var args = new RedisValue[1 + checks.Length * 4];
        args[0] = plan.Id;
        for (var i = 0; i < checks.Length; i++)
        {
            var check = checks[i];
            args[1 + i * 4] = KindCode(check.Kind);
            args[2 + i * 4] = check.Limit;
            args[3 + i * 4] = check.Amount;
            args[4 + i * 4] = (long)check.Span.TotalMilliseconds;
        }
        var reply = (RedisResult[])(await database.ScriptEvaluateAsync(LimitScripts.Admit, keys, args))!;
        var used = new long[checks.Length];
        var oldest = new long[checks.Length];
        if ((long)reply[0] == 0)
        {
            var failed = (int)(long)reply[2] - 1;
            used[failed] = (long)reply[3];
            oldest[failed] = (long)reply[4];
            return new LimitVerdict { Admitted = false, Failed = failed, Used = used, OldestExpiry = oldest, NowMs = (long)reply[1] };
        }
        for (var i = 0; i < checks.Length; i++)
        {
            used[i] = (long)reply[2 + i * 2];
            oldest[i] = (long)reply[3 + i * 2];
        }
        return new LimitVerdict { Admitted = true, Used = used, OldestExpiry = oldest, Store = this, NowMs = (long)reply[1] };
    }

    public async ValueTask SettleAsync(LimitPlan plan, long[] actual, long nowMs, CancellationToken cancellationToken)
    {
        var checks = plan.Checks;
        var args = new RedisValue[1 + checks.Length * 3];
        args[0] = plan.Id;
        for (var i = 0; i < checks.Length; i++)
        {
            args[1 + i * 3] = KindCode(checks[i].Kind);
            args[2 + i * 3] = actual[i];
            args[3 + i * 3] = (long)checks[i].SpendTtl.TotalMilliseconds;
        }
        await database.ScriptEvaluateAsync(LimitScripts.Settle, Keys(checks), args);
    }

    private RedisKey[] Keys(LimitCheck[] checks)
    {
        var keys = new RedisKey[checks.Length * 3];
        for (var i = 0; i < checks.Length; i++)
        {
            var key = prefix + "lim:{" + checks[i].Key + "}";
            keys[i * 3] = key + ":z";
            keys[i * 3 + 1] = key + ":h";
            keys[i * 3 + 2] = key + ":t";
        }
        return keys;
    }

    private static string KindCode(LimitKind kind) => kind switch
    {
        LimitKind.Window => "w",
        LimitKind.Lease => "l",
        _ => "b",
    };
}
