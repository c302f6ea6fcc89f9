using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Requests;

namespace OaiProxy.Tests.Requests;

public sealed class ChatRequestRewriterTests
{
    private static RequestBody Parse(string body)
    {
        Assert.True(ChatRequestParser.TryParse(Encoding.UTF8.GetBytes(body), out var request, out var error), error?.Message);
        return request!;
    }

    [Fact]
    public void Rewrite_SameModel_KeepsBytesExactly()
    {
        const string body = """{ "model" : "gpt-4o", "messages":[{"role":"user","content":"hi \u00e9"}], "x": [1, 2] }""";
        using var request = Parse(body);
        Assert.Equal(body, Encoding.UTF8.GetString(BodyRewriter.Rewrite(request, "gpt-4o", null)));
    }

    [Fact]
    public void Rewrite_OtherModel_SplicesOnlyTheModel()
    {
        using var request = Parse("""{"messages":[{"role":"user","content":"hi"}],"model":"alias","temperature":0.5}""");
        var result = Encoding.UTF8.GetString(BodyRewriter.Rewrite(request, "gpt-4o-\"mini\"", null));
        Assert.Equal("""{"messages":[{"role":"user","content":"hi"}],"model":"gpt-4o-\u0022mini\u0022","temperature":0.5}""", result);
        Assert.Equal("gpt-4o-\"mini\"", JsonNode.Parse(result)!["model"]!.GetValue<string>());
    }

    [Fact]
    public void Rewrite_EscapedModelName_IsReplacedWhole()
    {
        using var request = Parse("""{"model":"gpt\u002d4o","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal("gpt-4o", request.Model);
        var result = Encoding.UTF8.GetString(BodyRewriter.Rewrite(request, "x", null));
        Assert.Equal("""{"model":"x","messages":[{"role":"user","content":"hi"}]}""", result);
    }

    [Fact]
    public void Rewrite_DefaultArgs_AddedOnlyWhenAbsent()
    {
        using var request = Parse("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":1}""");
        var defaults = new JsonObject { ["temperature"] = 0.1, ["max_tokens"] = 100, ["extra"] = new JsonObject { ["a"] = true } };
        var result = JsonNode.Parse(BodyRewriter.Rewrite(request, "m", defaults))!;
        Assert.Equal(1, result["temperature"]!.GetValue<int>());
        Assert.Equal(100, result["max_tokens"]!.GetValue<int>());
        Assert.True(result["extra"]!["a"]!.GetValue<bool>());
    }

    [Fact]
    public void Parse_ReadsStreamAndIncludeUsage()
    {
        using var request = Parse("""{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.True(request.HasField("stream_options"));
    }
}
