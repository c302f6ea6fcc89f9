using System.Net;
using System.Text;
using OaiProxy.Testing.OpenAi;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests;

public sealed class LifecycleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ClientAbort_CancelsUpstreamRequestAtOnce()
    {
        await using var f = await ProxyFixture.StartAsync();
        var payloads = OpenAiWire.TextStream("c1", "gpt-4o", "one two three four", false);
        f.Upstream.Handler = _ => new FakeReply.Stream(payloads, HangAfter: 2);
        using (var cts = new CancellationTokenSource())
        {
            var received = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var update in f.Chat("gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Hi")], cancellationToken: cts.Token))
                {
                    if (++received == 2) await cts.CancelAsync();
                }
            });
        }
        await f.Upstream.AbortSeen.Task.WaitAsync(Bound);
        Assert.Equal(1, f.Upstream.AbortedRequests);
    }

    [Fact]
    public async Task Reload_WhileStreamInFlight_StreamFinishesOnOldConfigAndNewRequestsUseNew()
    {
        await using var f = await ProxyFixture.StartAsync(watch: true);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var payloads = OpenAiWire.TextStream("c1", "gpt-4o", "alpha beta gamma", false);
        f.Upstream.Handler = r => r.Model == "gpt-4o" ? new FakeReply.Stream(payloads, HangAfter: 2, Resume: resume.Task) : FakeReply.Default;

        using var http = f.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = ChatCompletionTests.Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.StartsWith("data: ", await reader.ReadLineAsync().WaitAsync(Bound));

        // Rename the route target: new requests for alias-model must go to gpt-5 once the reload is in.
        var reloaded = new TaskCompletionSource();
        f.Proxy.Runtime.Reloaded += _ => reloaded.TrySetResult();
        var config = await File.ReadAllTextAsync(f.Proxy.ConfigPath);
        await File.WriteAllTextAsync(f.Proxy.ConfigPath, config.Replace("openai.gpt-4o-mini", "openai.gpt-5", StringComparison.Ordinal));
        await reloaded.Task.WaitAsync(Bound);

        ChatCompletion after = await f.Chat("alias-model").CompleteChatAsync([new UserChatMessage("Hi")]);
        Assert.Equal("Hello from gpt-5!", after.Content[0].Text);

        // Let the in-flight stream finish: it ends cleanly with its end marker, on the old snapshot.
        resume.SetResult();
        var rest = await reader.ReadToEndAsync().WaitAsync(Bound);
        Assert.Contains("\"content\":\" gamma\"", rest);
        Assert.EndsWith("data: [DONE]\n\n", rest);
    }

    [Fact]
    public async Task Reload_InvalidConfig_KeepsServingTheLastGoodOne()
    {
        await using var f = await ProxyFixture.StartAsync();
        await File.WriteAllTextAsync(f.Proxy.ConfigPath, "this is = = not toml");
        Assert.False(await f.Proxy.Runtime.ReloadAsync());
        ChatCompletion completion = await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Hi")]);
        Assert.Equal("Hello from gpt-4o!", completion.Content[0].Text);
        Assert.Equal(1, f.Proxy.Runtime.ReloadsRejected);
    }
}
