using Microsoft.Extensions.Time.Testing;
using OaiProxy.Limits;

namespace OaiProxy.Tests.Limits;

public sealed class PermitPoolStoreTests : IAsyncDisposable
{
    private static readonly LimitScope Scope = new("group", "g");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-03-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CountingStore _shared = new();
    private readonly PendingSettlements _settlements = new();
    private readonly PermitPoolStore _sut;
    private int _ids;

    public PermitPoolStoreTests() => _sut = new PermitPoolStore(_shared, _time, _settlements);

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static LimitCheck Rpm(long limit) => new(LimitKind.Window, LimitMeter.Requests, Scope, "rpm", limit, 1, TimeSpan.FromMinutes(1), TimeSpan.Zero);

    private static LimitCheck Parallel(long limit) => new(LimitKind.Lease, LimitMeter.Parallel, Scope, "par", limit, 1, TimeSpan.FromMinutes(10), TimeSpan.Zero);

    private static LimitCheck Tpm(long limit) => new(LimitKind.Window, LimitMeter.Tokens, Scope, "tpm", limit, 10, TimeSpan.FromMinutes(1), TimeSpan.Zero);

    private async Task<(LimitPlan Plan, LimitVerdict Verdict)> AdmitAsync(PermitPoolStore store, params LimitCheck[] checks)
    {
        var plan = new LimitPlan("r" + Interlocked.Increment(ref _ids), checks);
        return (plan, await store.AdmitAsync(plan, Now, CancellationToken.None));
    }

    [Fact]
    public async Task RequestWindowWithRoom_OneSharedCallPerBlock_AndTheSetNeverPassesTheLimit()
    {
        // rpm 4096: blocks of 64; the shared store sees one block call per 64 requests, not one call per request.
        for (var i = 0; i < 640; i++) Assert.True((await AdmitAsync(_sut, Rpm(4096))).Verdict.Admitted);
        Assert.InRange(_shared.Admits, 10, 12);
        Assert.InRange(_shared.Memory.SumOf("rpm", Now), 640, 640 + 2 * 64);
    }

    [Fact]
    public async Task UnusedWindowPermits_GoBackWhenTheHoldEnds()
    {
        for (var i = 0; i < 10; i++) Assert.True((await AdmitAsync(_sut, Rpm(4096))).Verdict.Admitted);
        Assert.Equal(64, _shared.Memory.SumOf("rpm", Now));
        _time.Advance(PermitPoolStore.Hold);
        await _settlements.DrainAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(10, _shared.Memory.SumOf("rpm", Now));
    }

    [Fact]
    public async Task LeaseSlots_ReturnWhenRequestsEnd_AndIdleBlocksLeaveTheSharedSet()
    {
        var admitted = new List<(LimitPlan Plan, LimitVerdict Verdict)>();
        for (var i = 0; i < 100; i++) admitted.Add(await AdmitAsync(_sut, Parallel(4096)));
        Assert.All(admitted, a => Assert.True(a.Verdict.Admitted));
        Assert.Equal(3, _shared.Admits); // blocks of 64 slots, each asked for once the pool is down to half a block
        foreach (var (plan, verdict) in admitted) await verdict.Store!.SettleAsync(plan, [0], Now, CancellationToken.None);
        _time.Advance(PermitPoolStore.Hold);
        await _settlements.DrainAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, _shared.Memory.SumOf("par", Now));
    }

    [Fact]
    public async Task RequestsWithATokenCheck_AreAdmittedExactlyBySharedStore()
    {
        for (var i = 0; i < 5; i++) Assert.True((await AdmitAsync(_sut, Rpm(4096), Tpm(100_000))).Verdict.Admitted);
        Assert.Equal(5, _shared.Admits);
        Assert.Equal(5, _shared.Memory.SumOf("rpm", Now));
    }

    [Fact]
    public async Task SmallLimit_NoBlocks_EveryRequestExact()
    {
        for (var i = 0; i < 100; i++) Assert.True((await AdmitAsync(_sut, Rpm(100))).Verdict.Admitted);
        Assert.False((await AdmitAsync(_sut, Rpm(100))).Verdict.Admitted);
        Assert.Equal(101, _shared.Admits);
    }

    [Fact]
    public async Task TwoInstancesOnOneSharedStore_AdmitExactlyTheLimit_NeverMore()
    {
        // Two proxies (two pool stores) over one shared set, rpm 1000: blocks of 15 until the set is half full,
        // then exact admissions; whatever interleaving, never more than 1000, and once the holds end, exactly 1000.
        await using var other = new PermitPoolStore(_shared, _time, _settlements);
        var stores = new[] { _sut, other };
        var results = await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => Task.Run(async () => (await AdmitAsync(stores[i % 2], Rpm(1000))).Verdict.Admitted)));
        var admitted = results.Count(ok => ok);
        Assert.InRange(admitted, 1000 - 4 * 15, 1000);
        _time.Advance(PermitPoolStore.Hold);
        await _settlements.DrainAsync(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 200 && admitted < 1000; i++)
        {
            if ((await AdmitAsync(stores[i % 2], Rpm(1000))).Verdict.Admitted) admitted++;
        }
        Assert.Equal(1000, admitted);
        Assert.False((await AdmitAsync(_sut, Rpm(1000))).Verdict.Admitted);
        Assert.False((await AdmitAsync(other, Rpm(1000))).Verdict.Admitted);
        Assert.Equal(1000, _shared.Memory.SumOf("rpm", Now));
    }

    [Fact]
    public async Task LimitChanged_FreshPool_OldBlockGoesBack()
    {
        for (var i = 0; i < 3; i++) Assert.True((await AdmitAsync(_sut, Rpm(4096))).Verdict.Admitted);
        Assert.True((await AdmitAsync(_sut, Rpm(3200))).Verdict.Admitted);
        _time.Advance(PermitPoolStore.Hold);
        await _settlements.DrainAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(4, _shared.Memory.SumOf("rpm", Now));
    }

    public async ValueTask DisposeAsync() => await _sut.DisposeAsync();

    /// <summary>The shared store of these tests: this process's memory, counting its admissions.</summary>
    private sealed class CountingStore : ILimitStore
    {
        private int _admits;

        public MemoryLimitStore Memory { get; } = new();

        public int Admits => Volatile.Read(ref _admits);

        public ValueTask<LimitVerdict> AdmitAsync(LimitPlan plan, long nowMs, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _admits);
            return Memory.AdmitAsync(plan, nowMs, cancellationToken);
        }

        public ValueTask SettleAsync(LimitPlan plan, long[] actual, long nowMs, CancellationToken cancellationToken) =>
            Memory.SettleAsync(plan, actual, nowMs, cancellationToken);
    }
}
