using Microsoft.Extensions.Time.Testing;
using OaiProxy.Limits;

namespace OaiProxy.Tests.Limits;

public sealed class MemoryLimitStoreTests
{
    private static readonly LimitScope Scope = new("key", "k");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-03-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MemoryLimitStore _sut = new();
    private int _ids;

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static LimitCheck Rpm(long limit) => new(LimitKind.Window, LimitMeter.Requests, Scope, "rpm", limit, 1, TimeSpan.FromMinutes(1), TimeSpan.Zero);

    private static LimitCheck Tpm(long limit, long amount) => new(LimitKind.Window, LimitMeter.Tokens, Scope, "tpm", limit, amount, TimeSpan.FromMinutes(1), TimeSpan.Zero);

    private static LimitCheck Parallel(long limit) => new(LimitKind.Lease, LimitMeter.Parallel, Scope, "par", limit, 1, TimeSpan.FromMinutes(10), TimeSpan.Zero);

    private static LimitCheck Budget(long limit, long amount) => new(LimitKind.Budget, LimitMeter.Budget, Scope, "bud", limit, amount, TimeSpan.FromMinutes(10), TimeSpan.FromDays(1));

    private (LimitPlan Plan, LimitVerdict Verdict) Admit(params LimitCheck[] checks)
    {
        var plan = new LimitPlan("r" + _ids++, checks);
        return (plan, _sut.Admit(plan, Now));
    }

    [Fact]
    public void Rpm_SlidingWindow_AdmitsLimitThenRefusesUntilOldestLeaves()
    {
        Assert.True(Admit(Rpm(3)).Verdict.Admitted);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(Admit(Rpm(3)).Verdict.Admitted);
        Assert.True(Admit(Rpm(3)).Verdict.Admitted);
        var refused = Admit(Rpm(3)).Verdict;
        Assert.False(refused.Admitted);
        Assert.Equal(3, refused.Used[0]);
        Assert.Equal(40_000, refused.OldestExpiry[0] - Now);

        _time.Advance(TimeSpan.FromSeconds(40));
        var admitted = Admit(Rpm(3)).Verdict;
        Assert.True(admitted.Admitted);
        Assert.Equal(3, admitted.Used[0]);
        Assert.False(Admit(Rpm(3)).Verdict.Admitted);
    }

    [Fact]
    public void Tpm_SettledWithRealUsage_FreesTheDifference()
    {
        var (plan, verdict) = Admit(Tpm(1000, 800));
        Assert.True(verdict.Admitted);
        Assert.False(Admit(Tpm(1000, 300)).Verdict.Admitted);
        _sut.Settle(plan, [100], Now);
        Assert.True(Admit(Tpm(1000, 300)).Verdict.Admitted);
        Assert.True(Admit(Tpm(1000, 600)).Verdict.Admitted);
        Assert.False(Admit(Tpm(1000, 1)).Verdict.Admitted);
    }

    [Fact]
    public void Parallel_ReleasedAtSettlement_OrWhenTheLeaseRunsOut()
    {
        var (first, _) = Admit(Parallel(2));
        Assert.True(Admit(Parallel(2)).Verdict.Admitted);
        Assert.False(Admit(Parallel(2)).Verdict.Admitted);
        _sut.Settle(first, [0], Now);
        Assert.True(Admit(Parallel(2)).Verdict.Admitted);
        Assert.False(Admit(Parallel(2)).Verdict.Admitted);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(Admit(Parallel(2)).Verdict.Admitted);
    }

    [Fact]
    public void Budget_ReservationReplacedByRealCost_SpendNeverPassesTheAmount()
    {
        var (a, _) = Admit(Budget(1000, 400));
        var (b, _) = Admit(Budget(1000, 400));
        Assert.False(Admit(Budget(1000, 400)).Verdict.Admitted);
        _sut.Settle(a, [150], Now);
        _sut.Settle(b, [150], Now);
        Assert.Equal(300, _sut.SpentOf("bud"));
        Assert.True(Admit(Budget(1000, 400)).Verdict.Admitted);
        var refused = Admit(Budget(1000, 400)).Verdict;
        Assert.False(refused.Admitted);
        Assert.Equal(700, refused.Used[0]);
    }

    [Fact]
    public void Plan_OneCheckFull_NothingOfThePlanIsCounted()
    {
        Assert.True(Admit(Rpm(1)).Verdict.Admitted);
        var refused = Admit(Tpm(1000, 100), Rpm(1)).Verdict;
        Assert.False(refused.Admitted);
        Assert.Equal(1, refused.Failed);
        var onlyTokens = Admit(Tpm(1000, 1000)).Verdict;
        Assert.True(onlyTokens.Admitted);
    }
}
