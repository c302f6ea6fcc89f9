using OaiProxy.Configuration;
using OaiProxy.Routing;

namespace OaiProxy.Tests.Routing;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("gpt*", "gpt-4o", true)]
    [InlineData("gpt*", "gpt", true)]
    [InlineData("gpt*", "GPT-4", false)]
    [InlineData("*", "", true)]
    [InlineData("*", "anything/at:all", true)]
    [InlineData("gpt-?o", "gpt-4o", true)]
    [InlineData("gpt-?o", "gpt-40o", false)]
    [InlineData("claude-[0-9]*", "claude-3-opus", true)]
    [InlineData("claude-[0-9]*", "claude-x", false)]
    [InlineData("model-[!a-c]", "model-d", true)]
    [InlineData("model-[!a-c]", "model-b", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("*-mini", "gpt-4o-mini", true)]
    [InlineData("[]]x", "]x", true)]
    [InlineData("a[b", "a[b", true)]
    [InlineData("gpt-4", "gpt-4", true)]
    [InlineData("gpt-4", "gpt-4o", false)]
    public void IsMatch_FollowsShellGlobRules(string pattern, string text, bool expected)
    {
        var sut = new GlobPattern(pattern);
        Assert.Equal(expected, sut.IsMatch(text));
    }

    [Theory]
    [InlineData("gpt-4", true)]
    [InlineData("gpt*", false)]
    [InlineData("gpt-?", false)]
    [InlineData("gpt-[45]", false)]
    public void IsLiteral_TrueOnlyWithoutWildcards(string pattern, bool literal) =>
        Assert.Equal(literal, new GlobPattern(pattern).IsLiteral);

    [Fact]
    public void IsMatch_ManyStars_StaysLinear()
    {
        var sut = new GlobPattern("*a*a*a*a*a*a*a*a*b");
        Assert.False(sut.IsMatch(new string('a', 5000)));
    }
}
