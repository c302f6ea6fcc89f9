using System.ClientModel;
using System.Diagnostics;
using OaiProxy.Testing;
using OaiProxy.Testing.Gguf;
using OpenAI.Chat;

namespace OaiProxy.Local.Tests.Functional;

/// <summary>One slot per model: a client going away frees it at once; a full queue answers 429 with Retry-After.</summary>
public sealed class LocalConcurrencyTests
{
    // The lowercase model never ends by itself; with an 8192-token context a full run takes over a minute on 2 cores
    // (decoding slows as the KV cache fills), so a request served within seconds behind it proves cancellation.
    private static readonly TinyGgufOptions Endless = new() { Reply = TinyReply.Lowercase, ContextLength = 8192 };

    private static Task<ProxyTestServer> StartAsync(int maxQueue) => LocalProxy.StartAsync($$"""
        [connections.endless]
        api_type = "local"
        model_path = '{{LocalProxy.RelativeModelPath(Endless)}}'
        threads = 1
        context_size = 8192
        max_concurrency = 1
        max_queue = {{maxQueue}}
        max_retries = 0

        [routing]
        "*" = "endless.*"

        {{LocalProxy.Groups}}
        """);

    [Fact]
    public async Task Stream_ClientDisposesMidway_NextRequestServedAtOnce()
    {
        await using var server = await StartAsync(maxQueue: 1);
        var chat = LocalProxy.Chat(server, "tiny-bigram", closeAbandonedStreams: true);
        var received = "";

        await using (var updates = chat.CompleteChatStreamingAsync([new UserChatMessage("X")]).GetAsyncEnumerator())
        {
            while (received.Length < 5 && await updates.MoveNextAsync())
            {
                received += string.Concat(updates.Current.ContentUpdate.Select(p => p.Text));
            }
        }

        var watch = Stopwatch.StartNew();
        ChatCompletion next = await chat.CompleteChatAsync([new UserChatMessage("X")], new ChatCompletionOptions { MaxOutputTokenCount = 3 });

        Assert.StartsWith("abcde", received, StringComparison.Ordinal);
        Assert.Equal("abc", next.Content[0].Text);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        Assert.Equal(0, LocalProxy.ModelOf(server, "endless").ActiveGenerations);
    }

    [Fact]
    public async Task Complete_QueueFull_429WithRetryAfter()
    {
        await using var server = await StartAsync(maxQueue: 0);
        var chat = LocalProxy.Chat(server, "tiny-bigram", closeAbandonedStreams: true);
        await using var running = chat.CompleteChatStreamingAsync([new UserChatMessage("X")]).GetAsyncEnumerator();
        Assert.True(await running.MoveNextAsync()); // the slot is taken once the first chunk arrived

        var e = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("X")]));

        Assert.Equal(429, e.Status);
        var response = e.GetRawResponse()!;
        Assert.True(response.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.InRange(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.Contains("max_queue", response.Content.ToString(), StringComparison.Ordinal);
    }
}
