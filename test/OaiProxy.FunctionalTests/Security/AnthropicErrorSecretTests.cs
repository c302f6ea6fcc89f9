using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.FunctionalTests.ApiSurface;
using OaiProxy.Testing.Anthropic;

namespace OaiProxy.FunctionalTests.Security;

/// <summary>Finding 5 on Anthropic upstreams: native <c>/v1/messages</c> (JSON and SSE) and the chat translation.</summary>
public sealed class AnthropicErrorSecretTests
{
    private static StringContent Messages(bool stream) => new(
        $$"""{"model":"{{MessagesFixture.Native}}","max_tokens":64,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""",
        Encoding.UTF8, "application/json");

    private static StringContent Chat() => new(
        $$"""{"model":"{{MessagesFixture.Native}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");

    private static void AssertNoKey(string text, string key)
    {
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(key[..8], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorTypeEchoingTheKey_IsScrubbed_OnMessagesAndChat()
    {
        await using var f = await MessagesFixture.StartAsync();
        var key = f.Anthropic.ApiKey;
        f.Anthropic.Handler = _ => new AnthropicReply.Raw(400, new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = "x-api-key: " + key, ["message"] = "bad x-api-key " + key },
        }.ToJsonString());
        using var http = f.Http();

        using var messages = await http.PostAsync("/v1/messages", Messages(stream: false));
        using var chat = await http.PostAsync("/v1/chat/completions", Chat());

        AssertNoKey(await messages.Content.ReadAsStringAsync(), key);
        AssertNoKey(await chat.Content.ReadAsStringAsync(), key);
    }

    [Fact]
    public async Task HtmlGatewayPage_KeyAtTheCut_LeavesNoPrefix_OnMessagesAndChat()
    {
        await using var f = await MessagesFixture.StartAsync();
        var key = f.Anthropic.ApiKey;
        f.Anthropic.Handler = _ => new AnthropicReply.Raw(502, "<html>" + new string('x', 484) + key + "</html>", "text/html");
        using var http = f.Http();

        using var messages = await http.PostAsync("/v1/messages", Messages(stream: false));
        using var chat = await http.PostAsync("/v1/chat/completions", Chat());

        Assert.Equal(HttpStatusCode.BadGateway, messages.StatusCode);
        AssertNoKey(await messages.Content.ReadAsStringAsync(), key);
        AssertNoKey(await chat.Content.ReadAsStringAsync(), key);
    }

    [Fact]
    public async Task MessagesStream_ErrorEventMidStream_IsScrubbed()
    {
        await using var f = await MessagesFixture.StartAsync();
        var key = f.Anthropic.ApiKey;
        // The connection's own key, and another connection's: every configured secret goes.
        var events = AnthropicWire.Events(AnthropicWire.Message("msg_1", MessagesFixture.Native, [AnthropicWire.Text("Hello there")]));
        f.Anthropic.Handler = _ => new AnthropicReply.Stream([.. events.Take(3), AnthropicWire.ErrorEvent("api_error", $"upstream saw x-api-key {key} and {f.OpenAi.ApiKey}")]);
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/messages", Messages(stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("event: error", body, StringComparison.Ordinal);
        Assert.Contains("[redacted]", body, StringComparison.Ordinal);
        AssertNoKey(body, key);
        AssertNoKey(body, f.OpenAi.ApiKey);
    }
}
