using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Errors;

namespace OaiProxy.Tests.Errors;

public sealed class SecretScrubberTests
{
    private const string Key = "sk-prov-SECRET-0123456789abcdefABCDEF";
    private const string Master = "mk-master-0123456789abcdef-SECRET";
    private readonly SecretScrubber _sut = new([Key, Master, "short", null, Key]);

    [Fact]
    public void Scrub_EverySecret_EveryOccurrence_IsMasked()
    {
        Assert.Equal("a [redacted] b [redacted] c [redacted]", _sut.Scrub($"a {Key} b {Master} c {Key}"));
    }

    [Fact]
    public void Scrub_TextWithoutSecrets_IsTheSameInstance()
    {
        const string text = "nothing to see; short is too short to be a secret";
        Assert.Same(text, _sut.Scrub(text));
    }

    [Fact]
    public void Scrub_OverlappingSecrets_TheLongerGoesWhole()
    {
        var sut = new SecretScrubber(["abcdefgh", "abcdefghijkl"]);
        Assert.Equal("[redacted]!", sut.Scrub("abcdefghijkl!"));
    }

    [Fact]
    public void Scrub_Error_EveryField()
    {
        var error = new ProxyError(400, "t:" + Key, "c:" + Key, "m:" + Key, "p:" + Master) { Headers = [new("x-request-id", Key)], RetryAfter = TimeSpan.FromSeconds(3) };

        var sut = _sut.Scrub(error);

        Assert.Equal(new[] { "t:[redacted]", "c:[redacted]", "m:[redacted]", "p:[redacted]", "[redacted]" },
            new[] { sut.Type, sut.Code, sut.Message, sut.Param, sut.Headers![0].Value });
        Assert.Equal(TimeSpan.FromSeconds(3), sut.RetryAfter);
        var clean = ProxyError.BadRequest("fine");
        Assert.Same(clean, _sut.Scrub(clean));
    }

    [Fact]
    public void ScrubJson_EveryStringAtAnyDepth_EscapedFormsToo()
    {
        var json = "{\"error\":{\"message\":\"key " + Key.Replace("s", "\\u0073", StringComparison.Ordinal) + "\",\"details\":[{\"auth\":\"Bearer " + Master + "\"}],\"n\":1}}";

        var sut = _sut.ScrubJson(Encoding.UTF8.GetBytes(json));

        var node = JsonNode.Parse(sut!)!;
        Assert.Equal("key [redacted]", node["error"]!["message"]!.GetValue<string>());
        Assert.Equal("Bearer [redacted]", node["error"]!["details"]![0]!["auth"]!.GetValue<string>());
        Assert.Equal(1, node["error"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public void ScrubJson_NothingToChange_IsNull()
    {
        Assert.Null(_sut.ScrubJson("""{"error":{"message":"fine"}}"""u8));
        Assert.Equal("x [redacted]", Encoding.UTF8.GetString(_sut.ScrubJson(Encoding.UTF8.GetBytes("x " + Key))!));
    }

    [Fact]
    public void Remember_RunTimeCredential_IsScrubbed_AndOnlyTheNewestAreKept()
    {
        var sut = new SecretScrubber([]);
        for (var i = 0; i < SecretScrubber.MaxRemembered + 2; i++) sut.Remember($"ya29.token-{i:D4}");

        Assert.Equal("[redacted]", sut.Scrub($"ya29.token-{SecretScrubber.MaxRemembered + 1:D4}"));
        Assert.Equal("ya29.token-0000", sut.Scrub("ya29.token-0000"));
    }
}
