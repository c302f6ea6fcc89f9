using OaiProxy.Providers.Gemini;

namespace OaiProxy.Tests.Providers.Gemini;

public sealed class GeminiToolCallIdTests
{
    [Fact]
    public void Create_SameResponseAndPosition_GivesTheSameIdAndOthersDiffer()
    {
        var id = GeminiToolCallId.Create(null, null, "resp", 0, 0);

        Assert.Equal(id, GeminiToolCallId.Create(null, null, "resp", 0, 0));
        Assert.NotEqual(id, GeminiToolCallId.Create(null, null, "resp", 0, 1));
        Assert.NotEqual(id, GeminiToolCallId.Create(null, null, "resp", 1, 0));
        Assert.Matches("^call_[A-Za-z0-9]{24}$", id);
    }

    [Fact]
    public void Create_WithoutResponseId_IsRandom() =>
        Assert.NotEqual(GeminiToolCallId.Create(null, null, null, 0, 0), GeminiToolCallId.Create(null, null, null, 0, 0));

    [Theory]
    [InlineData(null, null)]
    [InlineData("fc-1", null)]
    [InlineData(null, "CiQBcz+/abc=")]
    [InlineData("fc-1", "CiQBcz+/abc=")]
    [InlineData(null, "not_base64-but-safe")]
    public void Parse_RecoversWhatCreateEncoded(string? geminiId, string? signature)
    {
        var id = GeminiToolCallId.Create(geminiId, signature, "resp", 0, 0);

        Assert.Equal((geminiId, signature), GeminiToolCallId.Parse(id));
        Assert.Matches("^[A-Za-z0-9_~-]+$", id);
    }

    [Fact]
    public void Parse_ForeignId_HasNeitherIdNorSignature() => Assert.Equal((null, null), GeminiToolCallId.Parse("call_abc123"));
}
