using System.Net;
using System.Net.Sockets;

namespace OaiProxy.Storage.Admin;

/// <summary>
/// Slows the guessing of the master key (security-findings.md, finding 17), per client address: the first
/// <see cref="FreeFailures"/> wrong keys in a row cost nothing (a typo, a stale script); from then on each wrong key
/// shuts the address out for <see cref="BaseDelay"/>, doubled per further failure up to <see cref="MaxDelay"/>, and
/// while it is shut out its admin requests get 429 without their key being looked at. The right key clears the
/// address; an address without a wrong key for <see cref="ForgetAfter"/> starts over. IPv6 addresses count per /64
/// (what one host usually holds); at most <see cref="MaxTracked"/> addresses are kept, the longest quiet first
/// forgotten. Behind a reverse proxy all clients share the proxy's address.
/// </summary>
internal sealed class MasterKeyThrottle(TimeProvider time)
{
    public const int FreeFailures = 5;

    public const int MaxTracked = 10_000;

    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    private readonly Dictionary<IPAddress, Entry> _entries = [];
    private readonly Lock _gate = new();

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset BlockedUntil;
    }

    /// <summary>Addresses tracked now (bounded by <see cref="MaxTracked"/>).</summary>
    public int Tracked
    {
        get
        {
            lock (_gate) return _entries.Count;
        }
    }

    /// <summary>How long the address must still wait before its key is checked; null when it may try now.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _entries.TryGetValue(Key(address), out var entry) && entry.BlockedUntil > now ? entry.BlockedUntil - now : null;
        }
    }

    /// <summary>Counts a wrong key; the time the address is now shut out for, or null while it is within its free failures.</summary>
    public (int Failures, TimeSpan? ShutOutFor) Failed(IPAddress? address)
    {
        var now = time.GetUtcNow();
        var key = Key(address);
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                if (_entries.Count >= MaxTracked) MakeRoom(now);
                entry = new Entry();
                _entries[key] = entry;
            }
            else if (now - entry.LastFailure >= ForgetAfter) entry.Failures = 0;
            entry.Failures++;
            entry.LastFailure = now;
            if (entry.Failures < FreeFailures) return (entry.Failures, null);
            var exponent = Math.Min(entry.Failures - FreeFailures, 30);
            var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * (1L << exponent)));
            entry.BlockedUntil = now + delay;
            return (entry.Failures, delay);
        }
    }

    /// <summary>The right key: the address starts over.</summary>
    public void Succeeded(IPAddress? address)
    {
        lock (_gate) _entries.Remove(Key(address));
    }

    /// <summary>Forgets quiet addresses; when none is quiet, the one whose last wrong key is oldest.</summary>
    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (address, entry) in _entries)
        {
            if (now - entry.LastFailure >= ForgetAfter && entry.BlockedUntil <= now) _entries.Remove(address);
        }
        if (_entries.Count < MaxTracked) return;
        var oldest = _entries.MinBy(e => e.Value.LastFailure).Key;
        _entries.Remove(oldest);
    }

    /// <summary>IPv4 (also when mapped into IPv6) as it is; IPv6 by its /64 prefix; an unknown peer as one address.</summary>
    internal static IPAddress Key(IPAddress? address)
    {
        if (address is null) return IPAddress.None;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
