using OaiProxy.Testing.Node;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Clients;

/// <summary>
/// The Node harness end to end with what the proxy serves today: the openai npm SDK (installed by scripts/test.sh
/// with npm ci into test/clients/node_modules) run by <see cref="NodeScript"/> against the real proxy.
/// </summary>
public sealed class NodeHarnessTests
{
    [Fact]
    public async Task OpenAiNpmSdk_ChatThroughTheProxy_GetsTheUpstreamAnswer()
    {
        await using var fixture = await ProxyFixture.StartAsync();

        var result = await NodeScript.RunAsync("openai-chat.mjs", NodeScript.Target(fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, "gpt-4o-mini"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json!;
        Assert.True(json["ok"]!.GetValue<bool>(), result.ToString());
        Assert.Equal("Hello from gpt-4o-mini!", json["text"]!.ToString());
        Assert.Equal("stop", json["finishReason"]!.ToString());
        Assert.Equal("Hello from gpt-4o-mini!", json["streamed"]!.ToString());
        Assert.Equal(3, json["streamUsage"]!["completion_tokens"]!.GetValue<int>());
        var requests = fixture.Upstream.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].Stream);
    }

    [Fact]
    public async Task RunAsync_ScenarioOutlivesItsTimeout_KillsItAndSaysSo()
    {
        await using var fixture = await ProxyFixture.StartAsync();
        fixture.Upstream.Handler = _ => new FakeReply.Hang();

        var result = await NodeScript.RunAsync("openai-chat.mjs", NodeScript.Target(fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, "gpt-4o-mini"),
            timeout: TimeSpan.FromSeconds(3));

        Assert.True(result.TimedOut, result.ToString());
        Assert.Equal(-1, result.ExitCode);
        Assert.Null(result.Json);
    }

    [Fact]
    public async Task RunAsync_WrongKey_ReportsTheSdkErrorAsJson()
    {
        await using var fixture = await ProxyFixture.StartAsync();

        var result = await NodeScript.RunAsync("openai-chat.mjs", NodeScript.Target(fixture.Proxy.BaseUrl, "sk-not-a-client-key", "gpt-4o-mini"));

        Assert.Equal(1, result.ExitCode);
        Assert.False(result.Json!["ok"]!.GetValue<bool>());
        Assert.Equal(401, result.Json["status"]!.GetValue<int>());
    }
}
