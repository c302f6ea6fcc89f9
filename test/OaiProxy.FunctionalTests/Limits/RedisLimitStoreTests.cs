using OaiProxy.Limits;
using StackExchange.Redis;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>The Lua scripts against a real Redis: the same semantics as the in-memory store.</summary>
[Collection("redis")]
public sealed class RedisLimitStoreTests(RedisFixture redis)
{
    private static readonly LimitScope Scope = new("key", "k");
    private int _ids;

    private static LimitCheck Tpm(long limit, long amount) => new(LimitKind.Window, LimitMeter.Tokens, Scope, "tpm", limit, amount, TimeSpan.FromMinutes(1), TimeSpan.Zero);

    private static LimitCheck Parallel(long limit) => new(LimitKind.Lease, LimitMeter.Parallel, Scope, "par", limit, 1, TimeSpan.FromMinutes(10), TimeSpan.Zero);

    private static LimitCheck Budget(long limit, long amount) => new(LimitKind.Budget, LimitMeter.Budget, Scope, "bud", limit, amount, TimeSpan.FromMinutes(10), TimeSpan.FromDays(1));

    [RedisFact]
    public async Task Scripts_AdmitAllOrNothing_SettleAdjustsReleasesAndSpends()
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(redis.Server!.Url));
        var sut = new RedisLimitStore(mux.GetDatabase(), redis.NewPrefix());
        async Task<(LimitPlan, LimitVerdict)> Admit(params LimitCheck[] checks)
        {
            var plan = new LimitPlan("r" + _ids++, checks);
            return (plan, await sut.AdmitAsync(plan, 0, CancellationToken.None));
        }

        var (first, verdict) = await Admit(Tpm(1000, 800), Parallel(1), Budget(1000, 600));
        Assert.True(verdict.Admitted);
        Assert.Equal([800L, 1L, 600L], verdict.Used);
        Assert.InRange(verdict.OldestExpiry[0] - verdict.NowMs, 59_000, 60_000);

        var refused = (await Admit(Tpm(1000, 100), Parallel(1))).Item2;
        Assert.False(refused.Admitted);
        Assert.Equal(1, refused.Failed);

        await sut.SettleAsync(first, [100, 0, 250], 0, CancellationToken.None);
        var (second, after) = await Admit(Tpm(1000, 900), Parallel(1), Budget(1000, 700));
        Assert.True(after.Admitted);
        Assert.Equal([1000L, 1L, 950L], after.Used);
        var overBudget = (await Admit(Budget(1000, 100))).Item2;
        Assert.False(overBudget.Admitted);
        Assert.Equal(950, overBudget.Used[0]);
        await sut.SettleAsync(second, [900, 0, 700], 0, CancellationToken.None);
        Assert.Equal(951, (await Admit(Budget(2000, 1))).Item2.Used[0]); // 250 + 700 spent, + 1 reserved
    }
}
