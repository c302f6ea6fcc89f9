using OaiProxy.Local.Generation;

namespace OaiProxy.Local.Tests;

public sealed class StopSequenceTests
{
    [Fact]
    public void Push_PartialMatch_HeldBackUntilResolved()
    {
        var sut = new StopSequenceMatcher(["XYZ"]);

        Assert.Equal("ab", sut.Push("abX"));
        Assert.Equal("", sut.Push("Y"));
        Assert.Equal("XYq", sut.Push("q"));
        Assert.False(sut.Stopped);
    }

    [Fact]
    public void Push_MatchAcrossPieces_CutsBeforeIt()
    {
        var sut = new StopSequenceMatcher(["XYZ"]);

        Assert.Equal("a", sut.Push("aX"));
        Assert.Equal("", sut.Push("YZtail"));
        Assert.True(sut.Stopped);
        Assert.Equal("", sut.Push("more"));
        Assert.Equal("", sut.Flush());
    }

    [Fact]
    public void Push_SeveralStops_EarliestWins()
    {
        var sut = new StopSequenceMatcher(["cd", "b"]);

        Assert.Equal("a", sut.Push("abcd"));
    }

    [Fact]
    public void Flush_UnfinishedMatch_ReleasesHeldText()
    {
        var sut = new StopSequenceMatcher(["YZA"]);

        Assert.Equal("UVWX", sut.Push("UVWXYZ"));
        Assert.Equal("YZ", sut.Flush());
    }

    [Theory]
    [InlineData("XY", "UVW")]
    [InlineData("Z.", "UVWXY")]
    [InlineData("U", "")]
    [InlineData("YZA", "UVWXYZ.")]
    public async Task Generate_StopSequence_TextEndsBeforeIt(string stop, string expected)
    {
        await using var sut = TestModels.Load();

        var (text, chunks) = await TestModels.CollectAsync(sut, TestModels.Chat("X", $$""","stop":["{{stop}}", "never"]"""));

        Assert.Equal(expected, text);
        Assert.Equal(LocalFinishReasons.Stop, chunks[^1].FinishReason);
        Assert.All(chunks, c => Assert.True(c.Text is null || c.Text.Length > 0));
    }

    [Fact]
    public async Task Generate_StopSequence_UsageCountsTokensUpToTheMatch()
    {
        await using var sut = TestModels.Load();

        var (_, chunks) = await TestModels.CollectAsync(sut, TestModels.Chat("X", ""","stop":"XY" """));

        // U V W X Y: the match completes on the fifth token.
        Assert.Equal(5, chunks[^1].Usage!.CompletionTokens);
    }
}
