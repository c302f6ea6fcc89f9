using System.Text;
using OaiProxy.Providers.OpenAi;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.Tests.Providers.OpenAi;

/// <summary>The stream a client gets when the proxy asked for usage on its behalf is the one it asked for (finding 3).</summary>
public sealed class UsageChunkFilterTests
{
    private static string? Filter(UsageChunkFilter sut, string chunk) =>
        sut.TryFilter(Encoding.UTF8.GetBytes(chunk), out var relayed) ? Encoding.UTF8.GetString(relayed.Span) : null;

    [Fact]
    public void TryFilter_OpenAiStreamWithUsage_BecomesTheStreamWithoutUsage_AndTheUsageIsKept()
    {
        var sut = new UsageChunkFilter();
        var asked = OpenAiWire.TextStream("c", "m", "Hello there", includeUsage: true, promptTokens: 9);
        var plain = OpenAiWire.TextStream("c", "m", "Hello there", includeUsage: false);

        var relayed = asked.Select(chunk => Filter(sut, chunk)).OfType<string>().ToList();

        Assert.Equal(plain, relayed);
        Assert.Equal(9, sut.Usage!.PromptTokens);
        Assert.Equal(2, sut.Usage.CompletionTokens);
    }

    [Theory]
    [InlineData("""{"usage":null,"id":"c","choices":[]}""", """{"id":"c","choices":[]}""")]
    [InlineData("""{ "id":"c" , "usage" : null , "choices":[] }""", """{ "id":"c"  , "choices":[] }""")]
    [InlineData("""{"id":"c","choices":[{"delta":{"content":"\"usage\":null"}}]}""", """{"id":"c","choices":[{"delta":{"content":"\"usage\":null"}}]}""")]
    public void TryFilter_UsageNull_CutWithItsComma_TextThatMentionsUsageUntouched(string chunk, string expected) =>
        Assert.Equal(expected, Filter(new UsageChunkFilter(), chunk));

    [Fact]
    public void TryFilter_ChoicesAndARealUsage_RelayedAsSent()
    {
        var sut = new UsageChunkFilter();
        const string chunk = """{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""";

        Assert.Equal(chunk, Filter(sut, chunk));
        Assert.Equal(7, sut.Usage!.TotalTokens);
    }
}
