namespace OaiProxy.Limits;

/// <summary>
/// The Lua scripts that keep limit state in Redis; the twin of <see cref="WeightedSet"/> and
/// <see cref="MemoryLimitStore"/>. Each check has three keys: a sorted set of request ids by expiry (<c>z</c>), a
/// hash of their weights with the running sum in field <c>_sum</c> (<c>h</c>), and a budget period's settled spend
/// (<c>t</c>). Times come from the Redis server's clock, so instances with skewed clocks still share one window.
/// </summary>
internal static class LimitScripts
{
    private const string Common = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function purge(z, h)
          while true do
            local old = redis.call('ZRANGEBYSCORE', z, '-inf', now, 'LIMIT', 0, 500)
            if #old == 0 then break end
            local ws = redis.call('HMGET', h, unpack(old))
            local s = 0
            for i = 1, #ws do s = s + (tonumber(ws[i]) or 0) end
            redis.call('ZREM', z, unpack(old))
            redis.call('HDEL', h, unpack(old))
            redis.call('HINCRBY', h, '_sum', -s)
            if #old < 500 then break end
          end
          return tonumber(redis.call('HGET', h, '_sum') or '0')
        end
        local function oldest(z)
          local o = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
          if #o == 0 then return -1 end
          return tonumber(o[2])
        end
        """;

    /// <summary>
    /// KEYS: z, h, t per check. ARGV: id, then per check kind (w, l, b), limit, amount, span ms.
    /// Returns {1, now, used1, oldest1, ...} when admitted, {0, now, failed index (1-based), used, oldest} when not.
    /// </summary>
    public const string Admit = Common + "\n" + """
        local id = ARGV[1]
        local n = #KEYS / 3
        local used = {}
        for i = 1, n do
          local a = 1 + (i - 1) * 4
          local z, h, tk = KEYS[i * 3 - 2], KEYS[i * 3 - 1], KEYS[i * 3]
          local total = purge(z, h)
          if ARGV[a + 1] == 'b' then total = total + tonumber(redis.call('GET', tk) or '0') end
          if total + tonumber(ARGV[a + 3]) > tonumber(ARGV[a + 2]) then
            return {0, now, i, total, oldest(z)}
          end
          used[i] = total
        end
        local out = {1, now}
        for i = 1, n do
          local a = 1 + (i - 1) * 4
          local z, h = KEYS[i * 3 - 2], KEYS[i * 3 - 1]
          local amount = tonumber(ARGV[a + 3])
          local span = tonumber(ARGV[a + 4])
          if redis.call('ZADD', z, 'NX', now + span, id) == 1 then
            redis.call('HSET', h, id, amount)
            redis.call('HINCRBY', h, '_sum', amount)
          end
          redis.call('PEXPIRE', z, span + 1000)
          redis.call('PEXPIRE', h, span + 1000)
          out[#out + 1] = used[i] + amount
          out[#out + 1] = oldest(z)
        end
        return out
        """;

    /// <summary>
    /// KEYS: z, h, t per check. ARGV: id, then per check kind (w, l, b), actual (tokens, or cost), spend ttl ms (0: none).
    /// A window's entry takes the actual weight; a lease leaves; a budget's reservation leaves and its cost is spent.
    /// </summary>
    public const string Settle = """
        local id = ARGV[1]
        local n = #KEYS / 3
        for i = 1, n do
          local a = 1 + (i - 1) * 3
          local z, h, tk = KEYS[i * 3 - 2], KEYS[i * 3 - 1], KEYS[i * 3]
          local kind, actual = ARGV[a + 1], tonumber(ARGV[a + 2])
          local old = tonumber(redis.call('HGET', h, id) or 'nil')
          if kind == 'w' then
            if old and actual >= 0 then
              redis.call('HSET', h, id, actual)
              redis.call('HINCRBY', h, '_sum', actual - old)
            end
          else
            if old then
              redis.call('HDEL', h, id)
              redis.call('ZREM', z, id)
              redis.call('HINCRBY', h, '_sum', -old)
            end
            if kind == 'b' and actual > 0 then
              redis.call('INCRBY', tk, actual)
              local ttl = tonumber(ARGV[a + 3])
              if ttl > 0 then redis.call('PEXPIRE', tk, ttl) end
            end
          end
        end
        return 1
        """;
}
