using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.FunctionalTests.ApiSurface;

public sealed class CompletionsTests
{
    [Fact]
    public async Task Json_PassesThroughTextCompletion()
    {
        await using var fixture = await ProxyFixture.StartAsync();
        using var http = fixture.Http();

        using var response = await http.PostAsJsonAsync("/v1/completions", new JsonObject { ["model"] = "alias-model", ["prompt"] = "Tell", ["max_tokens"] = 4 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("text_completion", body["object"]!.GetValue<string>());
        Assert.Equal("Once upon a time", body["choices"]![0]!["text"]!.GetValue<string>());
        var sent = Assert.Single(fixture.Upstream.Requests);
        Assert.Equal("/v1/completions", sent.Path);
        Assert.Equal("gpt-4o-mini", sent.Model);
    }

    [Fact]
    public async Task Stream_RelaysTextCompletionChunksThenDone()
    {
        await using var fixture = await ProxyFixture.StartAsync();
        using var http = fixture.Http();

        using var response = await http.PostAsJsonAsync("/v1/completions", new JsonObject
        {
            ["model"] = "gpt-4o", ["prompt"] = "Tell", ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.All(chunks, c => Assert.Equal("text_completion", c["object"]!.GetValue<string>()));
        Assert.Equal("Once upon a time", string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!["text"]!.GetValue<string>())));
        Assert.Equal(6, chunks[^1]["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task NonOpenAiConnection_Gets400()
    {
        await using var fixture = await Anthropic.AnthropicFixture.StartAsync();
        using var http = fixture.Http();

        using var response = await http.PostAsJsonAsync("/v1/completions", new JsonObject { ["model"] = "claude-sonnet-4-5", ["prompt"] = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("legacy completions", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
