using System.Net;
using Microsoft.Extensions.Time.Testing;
using OaiProxy.Storage.Admin;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>The master key throttle on a fake clock: free failures, doubling waits, a cap, reset, bounded memory.</summary>
public sealed class MasterKeyThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MasterKeyThrottle _sut;
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");

    public MasterKeyThrottleTests() => _sut = new MasterKeyThrottle(_time);

    [Fact]
    public void FreeFailures_ThenWaitsThatDouble_UpToTheCap()
    {
        for (var i = 1; i < MasterKeyThrottle.FreeFailures; i++)
        {
            Assert.Null(_sut.Failed(Client).ShutOutFor);
            Assert.Null(_sut.RetryAfter(Client));
        }

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 16; i++)
        {
            var (_, wait) = _sut.Failed(Client);
            Assert.Equal(wait, _sut.RetryAfter(Client));
            waits.Add(wait!.Value);
            _time.Advance(wait.Value);
            Assert.Null(_sut.RetryAfter(Client));
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900, 900], waits.Select(w => w.TotalSeconds));
    }

    [Fact]
    public void RightKey_ClearsTheAddress_OthersAreUntouched()
    {
        var other = IPAddress.Parse("198.51.100.1");
        for (var i = 0; i < MasterKeyThrottle.FreeFailures; i++)
        {
            _sut.Failed(Client);
            _sut.Failed(other);
        }
        _time.Advance(TimeSpan.FromSeconds(1));

        _sut.Succeeded(Client);

        Assert.Null(_sut.Failed(Client).ShutOutFor);
        Assert.Equal(TimeSpan.FromSeconds(2), _sut.Failed(other).ShutOutFor);
    }

    [Fact]
    public void QuietAddress_StartsOver()
    {
        for (var i = 0; i < MasterKeyThrottle.FreeFailures + 3; i++) _sut.Failed(Client);

        _time.Advance(MasterKeyThrottle.ForgetAfter);

        Assert.Null(_sut.Failed(Client).ShutOutFor);
    }

    [Fact]
    public void Ipv6_CountsPerSlash64_AndMappedIpv4AsIpv4()
    {
        Assert.Equal(MasterKeyThrottle.Key(IPAddress.Parse("2001:db8:1:2::1")), MasterKeyThrottle.Key(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(MasterKeyThrottle.Key(IPAddress.Parse("2001:db8:1:2::1")), MasterKeyThrottle.Key(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(Client, MasterKeyThrottle.Key(Client.MapToIPv6()));
    }

    [Fact]
    public void Memory_IsBounded_TheLongestQuietGoesFirst()
    {
        for (var i = 0; i < MasterKeyThrottle.MaxTracked + 100; i++)
        {
            _sut.Failed(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(MasterKeyThrottle.MaxTracked, _sut.Tracked);
    }
}
