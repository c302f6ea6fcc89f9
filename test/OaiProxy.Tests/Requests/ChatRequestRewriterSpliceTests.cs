using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Requests;

namespace OaiProxy.Tests.Requests;

public class ChatRequestRewriterSpliceTests
{
    private const string Body = """{"model":"alias","messages":[{"role":"user","content":"Hi"}],"stream":false}""";

    private static RequestBody Parse(string body)
    {
        Assert.True(ChatRequestParser.TryParse(Encoding.UTF8.GetBytes(body), out var request, out var error), error?.Message);
        return request!;
    }

    [Fact]
    public void Rewrite_SameModelNoDefaults_ReturnsBodyUnchanged()
    {
        using var sut = Parse(Body);

        var result = BodyRewriter.Rewrite(sut, "alias", null);

        Assert.Equal(Body, Encoding.UTF8.GetString(result));
    }

    [Fact]
    public void Rewrite_OtherModel_SplicesOnlyTheModel()
    {
        using var sut = Parse(Body);

        var result = BodyRewriter.Rewrite(sut, "gpt-4o-mini-2024-07-18", null);

        Assert.Equal(Body.Replace("\"alias\"", "\"gpt-4o-mini-2024-07-18\"", StringComparison.Ordinal), Encoding.UTF8.GetString(result));
    }

    [Fact]
    public void Rewrite_ModelNeedingEscapes_WritesValidJson()
    {
        using var sut = Parse("""{"messages":[{"role":"user","content":"Hi"}],"model":"a\u00e9"}""");

        var result = BodyRewriter.Rewrite(sut, "quote\"d/é", null);

        Assert.Equal("quote\"d/é", JsonNode.Parse(result)!["model"]!.GetValue<string>());
    }

    [Fact]
    public void Rewrite_WithDefaults_AppendsOnlyMissingFields()
    {
        using var sut = Parse(Body);

        var result = BodyRewriter.Rewrite(sut, "m2", new JsonObject { ["stream"] = true, ["user"] = "u1" });

        var json = JsonNode.Parse(result)!;
        Assert.Equal("m2", json["model"]!.GetValue<string>());
        Assert.False(json["stream"]!.GetValue<bool>());
        Assert.Equal("u1", json["user"]!.GetValue<string>());
    }
}
