using System.Text.Json.Nodes;
using OaiProxy.Testing.OpenAi;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>Usage records on the default SQLite database: one per request, exact token sums and costs.</summary>
public sealed class UsageTests
{
    /// <summary>Scripts the upstream: request i answers with these token counts (streamed for odd i).</summary>
    internal static (int Prompt, int Completion, int Cached, int Reasoning) Tokens(int i) => (10 + i, 3 + i, i, i % 2);

    internal static void ScriptUpstream(FakeOpenAiServer upstream)
    {
        var count = 0;
        upstream.Handler = request =>
        {
            var i = Interlocked.Increment(ref count) - 1;
            var (prompt, completion, cached, reasoning) = Tokens(i);
            var usage = OpenAiWire.Usage(prompt, completion, cached, reasoning);
            if (!request.Stream)
            {
                var body = OpenAiWire.Completion($"chatcmpl-{i}", "gpt-4o-mini", "ok");
                body["usage"] = usage;
                return new FakeReply.Raw(200, body.ToJsonString());
            }
            var payloads = OpenAiWire.TextStream($"chatcmpl-{i}", "gpt-4o-mini", "ok then", includeUsage: false);
            payloads.Add(new JsonObject
            {
                ["id"] = $"chatcmpl-{i}", ["object"] = "chat.completion.chunk", ["created"] = OpenAiWire.Created,
                ["model"] = "gpt-4o-mini", ["choices"] = new JsonArray(), ["usage"] = usage,
            }.ToJsonString());
            return new FakeReply.Stream(payloads);
        };
    }

    internal static async Task SendAsync(ChatClient chat, int i)
    {
        if (i % 2 == 0)
        {
            await chat.CompleteChatAsync($"request {i}");
            return;
        }
        await foreach (var _ in chat.CompleteChatStreamingAsync($"request {i}"))
        {
        }
    }

    /// <summary>The expected totals of requests 0..n-1 at the test price table (1, 2, 0.5 USD per million).</summary>
    internal static (long Prompt, long Completion, long Cached, long Reasoning, decimal Cost) Expected(int n)
    {
        long p = 0, c = 0, ca = 0, r = 0;
        decimal cost = 0;
        for (var i = 0; i < n; i++)
        {
            var t = Tokens(i);
            p += t.Prompt;
            c += t.Completion;
            ca += t.Cached;
            r += t.Reasoning;
            cost += ((t.Prompt - t.Cached) * 1.0m + t.Cached * 0.5m + t.Completion * 2.0m) / 1_000_000m;
        }
        return (p, c, ca, r, cost);
    }

    internal static void AssertTotals(JsonNode row, int n)
    {
        var expected = Expected(n);
        Assert.Equal(n, row["requests"]!.GetValue<long>());
        Assert.Equal(expected.Prompt, row["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(expected.Completion, row["completion_tokens"]!.GetValue<long>());
        Assert.Equal(expected.Cached, row["cached_tokens"]!.GetValue<long>());
        Assert.Equal(expected.Reasoning, row["reasoning_tokens"]!.GetValue<long>());
        Assert.Equal(expected.Cost, row["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Requests_GiveOneRecordEach_WithExactTokenAndCostSums()
    {
        const int n = 6;
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);
        var key = await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"usage"}""", 201);
        await sut.WaitForKeyChangesAsync(TimeSpan.FromSeconds(1));
        ScriptUpstream(upstream);
        var chat = sut.Chat("gpt-4o-mini", key["key"]!.GetValue<string>());
        for (var i = 0; i < n; i++) await SendAsync(chat, i);
        await sut.Chat("gpt-4o-mini", ProxyFixture.ClientKey).CompleteChatAsync("a config key's request");

        await sut.Storage.Usage.Committed.WaitForAsync(n + 1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var byKey = await sut.AdminAsync(HttpMethod.Get, "/admin/usage?group_by=key");
        var rows = byKey["data"]!.AsArray();
        Assert.Equal(2, rows.Count);
        AssertTotals(rows.Single(r => r!["key"]!.GetValue<string>() == key["id"]!.GetValue<string>())!, n);

        var byDay = await sut.AdminAsync(HttpMethod.Get, "/admin/usage?group_by=model&interval=day&from=2020-01-01");
        var day = Assert.Single(byDay["data"]!.AsArray())!;
        Assert.Equal("gpt-4o-mini", day["model"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), day["day"]!.GetValue<string>());
        Assert.Equal(n + 1, day["requests"]!.GetValue<long>());
        await sut.AdminRawAsync(HttpMethod.Get, "/admin/usage?group_by=user", expectStatus: 400);
    }
}
