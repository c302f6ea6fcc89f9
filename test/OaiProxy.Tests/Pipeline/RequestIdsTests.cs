using OaiProxy.Pipeline;

namespace OaiProxy.Tests.Pipeline;

public sealed class RequestIdsTests
{
    [Fact]
    public void New_IsAVersion7UuidThatParsesBackToItsTime()
    {
        var now = new DateTimeOffset(2026, 12, 6, 6, 0, 0, 123, TimeSpan.Zero);
        var id = RequestIds.New(now);

        Assert.Matches("^req_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$", id);
        var guid = Guid.ParseExact(id["req_".Length..], "N");
        Assert.Equal(7, guid.Version);
        Assert.Equal(now.ToUnixTimeMilliseconds(), Convert.ToInt64(id.Substring("req_".Length, 12), 16));
    }

    [Fact]
    public void New_SortsByCreationTime_AndDiffersWithinOneMillisecond()
    {
        var earlier = new DateTimeOffset(2026, 12, 6, 6, 0, 0, 1, TimeSpan.Zero);
        var later = earlier.AddMilliseconds(1);
        Assert.True(string.CompareOrdinal(RequestIds.New(earlier), RequestIds.New(later)) < 0);

        var sameMillisecond = Enumerable.Range(0, 1000).Select(_ => RequestIds.New(earlier)).ToHashSet();
        Assert.Equal(1000, sameMillisecond.Count);
    }
}
