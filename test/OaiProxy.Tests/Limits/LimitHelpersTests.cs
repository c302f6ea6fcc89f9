using System.Globalization;
using System.Text.Json;
using OaiProxy.Configuration;
using OaiProxy.Limits;
using OaiProxy.Usage;

namespace OaiProxy.Tests.Limits;

public sealed class LimitHelpersTests
{
    [Theory]
    [InlineData(20, "20ms")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(360_000, "6m0s")]
    public void FormatDuration_LikeOpenAi(long ms, string expected) =>
        Assert.Equal(expected, RateLimitHeaders.FormatDuration(TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void BudgetPeriod_DailyMonthlyTotal_IdsStartsAndEnds()
    {
        var now = DateTimeOffset.Parse("2025-03-31T22:00:00Z", CultureInfo.InvariantCulture);
        Assert.Equal("20250331", BudgetPeriod.Id("daily", now));
        Assert.Equal("202503", BudgetPeriod.Id("monthly", now));
        Assert.Equal("total", BudgetPeriod.Id("total", now));
        Assert.Equal(DateTimeOffset.Parse("2025-04-01T00:00:00Z", CultureInfo.InvariantCulture), BudgetPeriod.End("daily", now));
        Assert.Equal(DateTimeOffset.Parse("2025-04-01T00:00:00Z", CultureInfo.InvariantCulture), BudgetPeriod.End("monthly", now));
        Assert.Null(BudgetPeriod.End("total", now));
        Assert.Equal(DateTimeOffset.Parse("2025-03-31T00:00:00Z", CultureInfo.InvariantCulture), BudgetPeriod.Start("daily", now));
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T00:00:00Z", CultureInfo.InvariantCulture), BudgetPeriod.Start("monthly", now));
        Assert.Null(BudgetPeriod.Start("total", now));
        Assert.Equal(TimeSpan.Zero, BudgetPeriod.SpendTtl("total", now));
    }

    [Fact]
    public void PromptTokenCounter_CountsTextWithTheRealTokenizer()
    {
        using var doc = JsonDocument.Parse("""
            {"model":"gpt-4o","max_tokens":50,"messages":[
              {"role":"system","content":"You are a helpful assistant."},
              {"role":"user","content":[{"type":"text","text":"Hello world"}]}]}
            """);
        // "system"(1) + 6 + "user"(1) + 2 tokens of text, 3 per message, 3 priming.
        Assert.Equal(1 + 6 + 1 + 2 + 3 * 2 + 3, PromptTokenCounter.Count(doc.RootElement, CancellationToken.None));
    }
}
