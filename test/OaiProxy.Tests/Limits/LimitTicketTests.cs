using OaiProxy.Configuration;
using OaiProxy.Limits;
using OaiProxy.Usage;

namespace OaiProxy.Tests.Limits;

/// <summary>What an answer is charged when the upstream reports usage, reports none, or did not finish (findings 3 and 11).</summary>
public sealed class LimitTicketTests
{
    // 100 prompt tokens, 1000 the upstream may write.
    private static readonly LimitTicket Sut = new(new LimitPlan("r", []), new MemoryLimitStore(), 100, 1100, PriceTable.BuiltIn, TimeProvider.System, new PendingSettlements());

    [Fact]
    public void Charged_FinishedWithUsage_TheReportedUsage() =>
        Assert.Equal(30_010, Sut.Charged(new UsageInfo(20, 29_990, 30_010), AnswerEnd.Finished, 4).TotalTokens);

    [Fact]
    public void Charged_FinishedWithoutUsage_TheReservationNotTheChunks() =>
        Assert.Equal(1100, Sut.Charged(null, AnswerEnd.Finished, 4).TotalTokens);

    [Fact]
    public void Charged_MoreChunksThanTheCap_OneTokenPerChunk() =>
        Assert.Equal(100 + 5000, Sut.Charged(null, AnswerEnd.Finished, 5000).TotalTokens);

    [Fact]
    public void Charged_UnfinishedWithPartialUsage_AtLeastTheReservation()
    {
        Assert.Equal(1100, Sut.Charged(new UsageInfo(100, 1, 101), AnswerEnd.Unfinished, 3).TotalTokens);
        Assert.Equal(9000, Sut.Charged(new UsageInfo(100, 8900, 9000), AnswerEnd.Unfinished, 3).TotalTokens);
    }

    [Fact]
    public void Charged_NoAnswer_Nothing() => Assert.Equal(0, Sut.Charged(null, AnswerEnd.None, 0).TotalTokens);
}
