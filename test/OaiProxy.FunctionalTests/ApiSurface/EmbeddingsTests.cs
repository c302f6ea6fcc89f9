using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OaiProxy.FunctionalTests.Gemini;
using OaiProxy.Testing.Gemini;
using OaiProxy.Testing.OpenAi;
using OpenAI.Embeddings;

namespace OaiProxy.FunctionalTests.ApiSurface;

public sealed class EmbeddingsTests
{
    [Fact]
    public async Task OpenAiSdk_ToOpenAiUpstream_PassesThroughWithModelSpliced()
    {
        await using var fixture = await ProxyFixture.StartAsync();
        var client = fixture.Client().GetEmbeddingClient("alias-model");

        var result = await client.GenerateEmbeddingsAsync(["first", "second"], new EmbeddingGenerationOptions { Dimensions = 4 });

        Assert.Equal(2, result.Value.Count);
        Assert.Equal(FakeOpenAiServer.Vector(1), result.Value[1].ToFloats().ToArray());
        var sent = Assert.Single(fixture.Upstream.Requests);
        Assert.Equal("/v1/embeddings", sent.Path);
        Assert.Equal("gpt-4o-mini", sent.Model);
        Assert.Equal(6, result.Value.Usage.InputTokenCount);
    }

    [Theory]
    [InlineData("float")]
    [InlineData("base64")]
    public async Task RawHttp_ToOpenAiUpstream_HonoursEncoding(string format)
    {
        await using var fixture = await ProxyFixture.StartAsync();
        using var http = fixture.Http();

        using var response = await http.PostAsJsonAsync("/v1/embeddings", new JsonObject { ["model"] = "gpt-4o", ["input"] = "hello", ["encoding_format"] = format });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(FakeOpenAiServer.Vector(0), Decode(body["data"]![0]!["embedding"]!));
    }

    [Theory]
    [InlineData("float")]
    [InlineData("base64")]
    public async Task RawHttp_ToGemini_TranslatesBatchAndEncoding(string format)
    {
        await using var fixture = await GeminiFixture.StartAsync();
        using var http = fixture.Http();

        using var response = await http.PostAsJsonAsync("/v1/embeddings", new JsonObject
        {
            ["model"] = "gemini-embedding-001", ["input"] = new JsonArray("a", "b", "c"), ["encoding_format"] = format, ["dimensions"] = 5,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var data = body["data"]!.AsArray();
        Assert.Equal(3, data.Count);
        Assert.Equal(FakeGeminiServer.Vector(2, 5), Decode(data[2]!["embedding"]!));
        Assert.Equal(2, data[2]!["index"]!.GetValue<int>());
        Assert.Equal("gemini-embedding-001", body["model"]!.GetValue<string>());
        Assert.True(body["usage"]!["prompt_tokens"]!.GetValue<int>() >= 3);
        var sent = Assert.Single(fixture.Upstream.Requests);
        Assert.EndsWith(":batchEmbedContents", sent.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiSdk_ToGemini_DecodesTheDefaultEncoding()
    {
        await using var fixture = await GeminiFixture.StartAsync();
        var client = new EmbeddingClient("gemini-embedding-001", new System.ClientModel.ApiKeyCredential(GeminiFixture.ClientKey),
            new OpenAI.OpenAIClientOptions { Endpoint = fixture.Proxy.BaseUrl, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        var result = await client.GenerateEmbeddingAsync("hello");

        Assert.Equal(FakeGeminiServer.Vector(0), result.Value.ToFloats().ToArray());
    }

    [Fact]
    public async Task ProviderWithoutEmbeddings_Gets400()
    {
        await using var fixture = await Anthropic.AnthropicFixture.StartAsync();
        using var http = fixture.Http();

        using var response = await http.PostAsJsonAsync("/v1/embeddings", new JsonObject { ["model"] = "claude-sonnet-4-5", ["input"] = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cannot create embeddings", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(fixture.Upstream.Requests);
    }

    [Fact]
    public async Task EmptyInput_Gets400BeforeAnyUpstreamCall()
    {
        await using var fixture = await ProxyFixture.StartAsync();
        using var http = fixture.Http();

        using var response = await http.PostAsJsonAsync("/v1/embeddings", new JsonObject { ["model"] = "gpt-4o", ["input"] = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(fixture.Upstream.Requests);
    }

    private static float[] Decode(JsonNode embedding)
    {
        if (embedding is JsonArray array) return [.. array.Select(v => v!.GetValue<float>())];
        var bytes = Convert.FromBase64String(embedding.GetValue<string>());
        return [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)))];
    }
}
