using System.Text;
using OaiProxy.Usage;

namespace OaiProxy.Tests.Usage;

public sealed class UsageReaderTests
{
    private const string Completion = """
        {"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"{\"usage\":1}"}}],
         "usage":{"prompt_tokens":14,"completion_tokens":9,"total_tokens":23,"prompt_tokens_details":{"cached_tokens":4},
                  "completion_tokens_details":{"reasoning_tokens":2}},"system_fingerprint":"fp"}
        """;

    [Fact]
    public void TryReadObject_CompletionWithUsage_IsAnObjectWithItsUsage()
    {
        Assert.True(UsageReader.TryReadObject(Encoding.UTF8.GetBytes(Completion), out var usage));

        Assert.Equal(new UsageInfo(14, 9, 23) { CachedTokens = 4, ReasoningTokens = 2 }, usage);
        Assert.Equal(usage, UsageReader.TryRead(Encoding.UTF8.GetBytes(Completion)));
    }

    [Theory]
    [InlineData("""{"id":"c1","choices":[]}""")]
    [InlineData(""" {"usage":null} """)]
    [InlineData("""{"usage":[1,2]}""")]
    public void TryReadObject_ObjectWithoutUsageObject_IsAnObjectWithoutUsage(string json)
    {
        Assert.True(UsageReader.TryReadObject(Encoding.UTF8.GetBytes(json), out var usage));
        Assert.Null(usage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("""{"usage":{"prompt_tokens":1}""")]
    [InlineData("""{"usage":{"prompt_tokens":1}} trailing""")]
    [InlineData("""{"usage":{"prompt_tokens":1}}{"a":1}""")]
    [InlineData("""{"usage":{"prompt_tokens":1},"id":}""")]
    [InlineData("<html>Bad gateway</html>")]
    public void TryReadObject_NotExactlyOneObject_IsRefusedWithoutUsage(string json)
    {
        Assert.False(UsageReader.TryReadObject(Encoding.UTF8.GetBytes(json), out var usage));
        Assert.Null(usage);
    }

    [Theory]
    [InlineData("""{"choices":[{"delta":{"content":"hi"}}],"usage":null}""", false)]
    [InlineData("""{"choices":[],"usage" : null }""", false)]
    [InlineData("""{"choices":[{"delta":{"content":"\"usage\""}}]}""", false)]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":1}}""", true)]
    [InlineData("""{"choices":[{"delta":{"content":"usage"}}],"usage": {"total_tokens":2}}""", true)]
    [InlineData("""{"choices":[{"delta":{"content":"\"usage\":null"}}],"usage":{"total_tokens":2}}""", true)]
    public void MayContainUsage_OnlyAUsageObjectIsWorthAParse(string chunk, bool expected) =>
        Assert.Equal(expected, UsageReader.MayContainUsage(Encoding.UTF8.GetBytes(chunk)));
}
