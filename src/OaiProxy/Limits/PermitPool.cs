namespace OaiProxy.Limits;

/// <summary>
/// This instance's share of one request window (rpm) or concurrency limit (max_parallel): blocks of permits the
/// shared store granted, handed to requests without a round trip. A block is asked for only while the shared set
/// stays at or under half its limit, so near the limit every request is admitted exactly by the shared store.
/// Unused window permits and idle lease slots go back when the block's hold time ends.
/// </summary>
internal sealed class PermitPool(LimitCheck shape, long now)
{
    private readonly Lock _lock = new();
    private readonly List<PermitBlock> _blocks = new(2);
    private bool _refilling;
    private bool _closed;
    private long _noRefillUntil;
    private long _lastUsed = now;

    /// <summary>The check this pool serves (its key, kind and limit); amounts of requests are always 1.</summary>
    public LimitCheck Shape { get; } = shape;

    /// <summary>Permits to ask for at once: a small share of the limit, so many instances can hold blocks side by side.</summary>
    public long BlockSize { get; } = BlockSizeFor(shape.Limit);

    /// <summary>Last known total of the shared set, counting this pool's blocks in full, for the rate-limit headers.</summary>
    public long SharedUsed { get; private set; }

    /// <summary>When the oldest counted entry of the shared set expires, in this process's Unix ms (-1: unknown).</summary>
    public long OldestExpiryMs { get; private set; } = -1;

    public static long BlockSizeFor(long limit) => Math.Clamp(limit / 64, 1, 256);

    public static bool Serves(LimitCheck check) =>
        check.Amount == 1 && BlockSizeFor(check.Limit) > 1 && (check.Kind == LimitKind.Lease || (check.Kind == LimitKind.Window && check.Meter == LimitMeter.Requests));

    public PermitBlock? TryTake(long now)
    {
        lock (_lock)
        {
            _lastUsed = now;
            if (_closed) return null;
            foreach (var block in _blocks)
            {
                if (!block.CanGive(now)) continue;
                block.Taken++;
                return block;
            }
            return null;
        }
    }

    /// <summary>Gives back a permit that was not used (another check of the request had none) or a finished request's slot.</summary>
    public void Return(PermitBlock block)
    {
        lock (_lock) block.Taken--;
    }

    /// <summary>True (and the caller must refill) when the pool runs low and no refill is under way or backing off.</summary>
    public bool BeginRefill(long now)
    {
        lock (_lock)
        {
            if (_refilling || _closed || now < _noRefillUntil) return false;
            long left = 0;
            foreach (var block in _blocks)
            {
                if (block.CanGive(now)) left += block.Granted - block.Taken;
            }
            if (left > BlockSize / 2) return false;
            _refilling = true;
            return true;
        }
    }

    public void EndRefill(PermitBlock? block, long sharedUsed, long oldestExpiryMs, long retryAfter)
    {
        lock (_lock)
        {
            _refilling = false;
            SharedUsed = sharedUsed;
            OldestExpiryMs = oldestExpiryMs;
            if (block is not null) _blocks.Add(block);
            else _noRefillUntil = retryAfter;
        }
    }

    /// <summary>
    /// Removes the blocks that are done: a window block whose permits are all used (nothing to settle) or whose hold
    /// ended (settle its weight down to what was used), a lease block whose hold ended with no slot in use (settle
    /// to remove it). <paramref name="all"/> (shutdown) ends every hold now.
    /// </summary>
    public void CollectDone(long now, bool all, List<(PermitBlock Block, long Used)> done)
    {
        lock (_lock)
        {
            for (var i = _blocks.Count - 1; i >= 0; i--)
            {
                var block = _blocks[i];
                var holdOver = all || now >= block.HoldUntil;
                if (Shape.Kind == LimitKind.Window)
                {
                    if (block.Taken >= block.Granted) _blocks.RemoveAt(i);
                    else if (holdOver)
                    {
                        _blocks.RemoveAt(i);
                        done.Add((block, block.Taken));
                    }
                }
                else if (holdOver && block.Taken == 0)
                {
                    _blocks.RemoveAt(i);
                    done.Add((block, 0));
                }
            }
        }
    }

    /// <summary>
    /// Closes the pool when it has held nothing for <paramref name="idle"/>, so it can be forgotten; a request that
    /// still finds it gets no permit from it and is admitted by the shared store.
    /// </summary>
    public bool TryClose(long now, long idle)
    {
        lock (_lock)
        {
            if (_blocks.Count > 0 || _refilling || now - _lastUsed < idle) return false;
            _closed = true;
            return true;
        }
    }

    /// <summary>Closes the pool for good (its limit changed); its blocks go back as their holds end.</summary>
    public void Close()
    {
        lock (_lock) _closed = true;
    }

    public bool IsClosed
    {
        get
        {
            lock (_lock) return _closed;
        }
    }
}
