using System.Collections.Concurrent;

namespace OaiProxy.Limits;

/// <summary>
/// In front of the shared (Redis) store: a request whose every check is a request window or a concurrency limit
/// with room to spare takes its permits from this instance's <see cref="PermitPool"/>s, without a round trip; the
/// pools refill in the background, a block at a time, while the shared set is at most half full. Everything else
/// (tokens, budgets, a pool running dry, a set near its limit) is admitted exactly by the shared store, so the
/// sum of what all instances admit never exceeds a limit. A window block counts from its grant until one window
/// plus its hold time later, which covers every permit handed out during the hold.
/// </summary>
internal sealed class PermitPoolStore : ILimitStore, IAsyncDisposable
{
    /// <summary>How long a block's permits are handed out before the rest go back.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(1);

    /// <summary>How long a pool waits after a refused or failed refill before asking again.</summary>
    private static readonly TimeSpan RefillBackoff = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan IdleBeforeForget = TimeSpan.FromMinutes(2);

    private readonly ILimitStore _shared;
    private readonly TimeProvider _time;
    private readonly PendingSettlements _settlements;
    private readonly ConcurrentDictionary<string, PermitPool> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PermitPool> _closed = new();
    private readonly ITimer _sweep;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private long _blockNumber;

    public PermitPoolStore(ILimitStore shared, TimeProvider time, PendingSettlements settlements)
    {
        _shared = shared;
        _time = time;
        _settlements = settlements;
        _sweep = time.CreateTimer(_ => Sweep(all: false), null, Hold / 4, Hold / 4);
    }

    public async ValueTask<LimitVerdict> AdmitAsync(LimitPlan plan, long nowMs, CancellationToken cancellationToken)
    {
        var checks = plan.Checks;
        foreach (var check in checks)
        {
            if (!PermitPool.Serves(check)) return await _shared.AdmitAsync(plan, nowMs, cancellationToken);
        }
        var now = _time.GetTimestamp();
        var pools = new PermitPool[checks.Length];
        var blocks = new PermitBlock[checks.Length];
        var taken = 0;
        for (var i = 0; i < checks.Length; i++)
        {
            pools[i] = Pool(checks[i], now);
            if (pools[i].BeginRefill(now)) _settlements.Track(RefillAsync(pools[i], nowMs));
            if (taken == i && pools[i].TryTake(now) is { } block)
            {
                blocks[i] = block;
                taken++;
            }
        }
        if (taken == checks.Length) return Local(pools, blocks, nowMs);
        for (var i = 0; i < taken; i++) pools[i].Return(blocks[i]);
        return await _shared.AdmitAsync(plan, nowMs, cancellationToken);
    }

    private long Later(TimeSpan span) => _time.GetTimestamp() + (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Local verdicts are settled by their <see cref="LocalAdmission"/>; this store never admits under its own name.</summary>
    public ValueTask SettleAsync(LimitPlan plan, long[] actual, long nowMs, CancellationToken cancellationToken) =>
        _shared.SettleAsync(plan, actual, nowMs, cancellationToken);

    private PermitPool Pool(LimitCheck check, long now)
    {
        while (true)
        {
            var pool = _pools.GetOrAdd(check.Key, static (_, state) => new PermitPool(state.check with { Amount = 1 }, state.now), (check, now));
            if (pool.Shape.Limit == check.Limit && pool.Shape.Span == check.Span && !pool.IsClosed) return pool;
            // The limit changed (reload, key update) or the pool was forgotten: a fresh pool; the old one's blocks
            // go back as their holds end. Only the request that swaps the pool retires the old one.
            var fresh = new PermitPool(check with { Amount = 1 }, now);
            if (!_pools.TryUpdate(check.Key, fresh, pool)) continue;
            pool.Close();
            _closed.Enqueue(pool);
            return fresh;
        }
    }

    private async ValueTask RefillAsync(PermitPool pool, long nowMs)
    {
        var shape = pool.Shape;
        var size = pool.BlockSize;
        // Half the limit as the block's own limit: blocks stop before the set is half full.
        var check = shape with
        {
            Amount = size,
            Limit = shape.Limit / 2,
            Span = shape.Kind == LimitKind.Window ? shape.Span + Hold : shape.Span,
        };
        var plan = new LimitPlan($"blk:{_instance}:{Interlocked.Increment(ref _blockNumber)}", [check]);
        PermitBlock? block = null;
        long used = pool.SharedUsed, oldest = pool.OldestExpiryMs;
        try
        {
            var verdict = await _shared.AdmitAsync(plan, nowMs, CancellationToken.None);
            used = verdict.Used[0];
            oldest = verdict.OldestExpiry[0] < 0 ? -1 : _time.GetUtcNow().ToUnixTimeMilliseconds() + (verdict.OldestExpiry[0] - verdict.NowMs);
            if (verdict.Admitted) block = new PermitBlock(plan, verdict.Store!, size, Later(Hold));
        }
#pragma warning disable CA1031 // A failed refill only means requests go to the shared store until the next one.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            pool.EndRefill(block, used, oldest, Later(RefillBackoff));
        }
        // A pool closed while its refill ran must still give the block back.
        if (block is not null && pool.IsClosed) _closed.Enqueue(pool);
    }

    private static LimitVerdict Local(PermitPool[] pools, PermitBlock[] blocks, long nowMs)
    {
        var used = new long[pools.Length];
        var oldest = new long[pools.Length];
        for (var i = 0; i < pools.Length; i++)
        {
            used[i] = pools[i].SharedUsed;
            oldest[i] = pools[i].OldestExpiryMs;
        }
        return new LimitVerdict { Admitted = true, Used = used, OldestExpiry = oldest, NowMs = nowMs, Store = new LocalAdmission(pools, blocks) };
    }

    /// <summary>Settles finished blocks with the shared store, and forgets pools idle for a while.</summary>
    private void Sweep(bool all)
    {
        var now = _time.GetTimestamp();
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var done = new List<(PermitBlock Block, long Used)>();
        var closed = _closed.Count;
        for (var i = 0; i < closed && _closed.TryDequeue(out var old); i++)
        {
            old.CollectDone(now, all, done);
            if (!old.TryClose(now, 0)) _closed.Enqueue(old); // blocks still held: again at the next sweep
        }
        var idle = (long)(IdleBeforeForget.TotalSeconds * _time.TimestampFrequency);
        foreach (var (key, pool) in _pools)
        {
            pool.CollectDone(now, all, done);
            if (pool.TryClose(now, idle)) _pools.TryRemove(new(key, pool));
        }
        foreach (var (block, used) in done) _settlements.Track(block.Store.SettleAsync(block.Plan, [used], nowMs, CancellationToken.None));
    }

    /// <summary>Gives every unused permit back (shutdown, after the last request finished).</summary>
    public async ValueTask DisposeAsync()
    {
        await _sweep.DisposeAsync();
        Sweep(all: true);
    }

    /// <summary>One request's local permits: its lease slots go back to their blocks when it ends.</summary>
    private sealed class LocalAdmission(PermitPool[] pools, PermitBlock[] blocks) : ILimitSettlement
    {
        public ValueTask SettleAsync(LimitPlan plan, long[] actual, long nowMs, CancellationToken cancellationToken)
        {
            for (var i = 0; i < pools.Length; i++)
            {
                if (pools[i].Shape.Kind == LimitKind.Lease) pools[i].Return(blocks[i]);
            }
            return ValueTask.CompletedTask;
        }
    }
}
