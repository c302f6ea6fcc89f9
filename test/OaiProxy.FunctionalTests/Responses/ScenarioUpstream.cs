using System.Text.Json.Nodes;
using OaiProxy.FunctionalTests.Anthropic;
using OaiProxy.Testing;
using OaiProxy.Testing.Anthropic;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>What serves the proxy's <c>/v1/responses</c> in a client scenario.</summary>
public enum ResponsesUpstreamKind
{
    /// <summary>OpenAI's own Responses API: passed through.</summary>
    Native,

    /// <summary>An OpenAI-compatible server with chat only (vLLM, Ollama): translated to chat.</summary>
    Chat,

    /// <summary>Anthropic's Messages API: translated through chat's mapping.</summary>
    Anthropic,
}

/// <summary>
/// The real proxy in front of one scripted upstream of <see cref="ResponsesUpstreamKind"/>, every <c>gpt*</c> model
/// routed to it, answering the client scenarios' turns on its own wire.
/// </summary>
internal sealed class ScenarioUpstream : IAsyncDisposable
{
    private readonly ResponsesUpstreamKind _kind;
    private readonly IAsyncDisposable _fixture;
    private readonly Func<IReadOnlyList<RecordedRequest>> _requests;

    private ScenarioUpstream(ResponsesUpstreamKind kind, IAsyncDisposable fixture, ProxyTestServer proxy, Func<IReadOnlyList<RecordedRequest>> requests)
    {
        _kind = kind;
        _fixture = fixture;
        Proxy = proxy;
        _requests = requests;
    }

    public ProxyTestServer Proxy { get; }

    public IReadOnlyList<RecordedRequest> Requests => _requests();

    public static async Task<ScenarioUpstream> StartAsync(ResponsesUpstreamKind kind)
    {
        switch (kind)
        {
            case ResponsesUpstreamKind.Anthropic:
                var anthropic = await AnthropicFixture.StartAsync(u => AnthropicFixture.Config(u).Replace("\"claude*\" = \"claude.*\"", "\"gpt*\" = \"claude.claude-sonnet-4-5\"", StringComparison.Ordinal));
                anthropic.Upstream.Handler = AnthropicScenarioReplies.Messages;
                return new ScenarioUpstream(kind, anthropic, anthropic.Proxy, () => [.. anthropic.Upstream.Requests]);
            default:
                var native = kind == ResponsesUpstreamKind.Native;
                var openAi = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, connectionExtra: "max_retries = 0\nresponses_api = " + (native ? "true" : "false")));
                if (native) openAi.Upstream.ResponsesHandler = ScenarioReplies.Responses;
                else openAi.Upstream.Handler = ScenarioReplies.Chat;
                return new ScenarioUpstream(kind, openAi, openAi.Proxy, () => [.. openAi.Upstream.Requests]);
        }
    }

    /// <summary>
    /// Asserts that one request brought the client's <c>input_image</c> (a base64 PNG data URL) to the upstream in
    /// its own wire's form: passed through untouched, a chat <c>image_url</c> part, or an Anthropic base64 image block.
    /// </summary>
    public void AssertImageReached(string dataUrl, string detail)
    {
        var (parts, expected) = _kind switch
        {
            ResponsesUpstreamKind.Native => (Parts("input", "content"),
                new JsonObject { ["type"] = "input_image", ["image_url"] = dataUrl, ["detail"] = detail }),
            ResponsesUpstreamKind.Chat => (Parts("messages", "content"),
                new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = dataUrl, ["detail"] = detail } }),
            ResponsesUpstreamKind.Anthropic => (Parts("messages", "content"), new JsonObject
            {
                ["type"] = "image",
                ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "image/png", ["data"] = dataUrl[(dataUrl.IndexOf(',', StringComparison.Ordinal) + 1)..] },
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(dataUrl), _kind, "No image form for this upstream kind."),
        };
        var images = parts.Where(p => p["type"]?.ToString() == expected["type"]!.ToString()).ToList();
        Assert.True(images.Count == 1 && JsonNode.DeepEquals(images[0], expected), $"Expected {expected.ToJsonString()}, the upstream got [{string.Join(", ", images.Select(i => i.ToJsonString()))}].");
    }

    /// <summary>
    /// Asserts that one request asked the upstream for JSON output under this schema in its own wire's form:
    /// <c>text.format</c> passed through, chat's <c>response_format</c>, or Anthropic's <c>output_config.format</c>.
    /// </summary>
    public void AssertSchemaReached(string name, JsonNode schema, bool strict)
    {
        var (field, expected) = _kind switch
        {
            ResponsesUpstreamKind.Native => ((Func<JsonObject, JsonNode?>)(r => r["text"]?["format"]),
                new JsonObject { ["type"] = "json_schema", ["name"] = name, ["schema"] = schema.DeepClone(), ["strict"] = strict }),
            ResponsesUpstreamKind.Chat => (r => r["response_format"], new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = name, ["schema"] = schema.DeepClone(), ["strict"] = strict },
            }),
            ResponsesUpstreamKind.Anthropic => (r => r["output_config"]?["format"],
                new JsonObject { ["type"] = "json_schema", ["schema"] = WithoutDraftMarker(schema) }),
            _ => throw new ArgumentOutOfRangeException(nameof(name), _kind, "No schema form for this upstream kind."),
        };
        var sent = Requests.Select(r => field(r.Json)).OfType<JsonObject>().Where(f => f["type"]?.ToString() == "json_schema").ToList();
        Assert.True(sent.Count >= 1 && sent.All(f => JsonNode.DeepEquals(f, expected)), $"Expected {expected.ToJsonString()}, the upstream got [{string.Join(", ", sent.Select(f => f.ToJsonString()))}].");
    }

    /// <summary>The schema as the Anthropic translation sends it: without zod's <c>$schema</c> draft marker.</summary>
    private static JsonNode WithoutDraftMarker(JsonNode schema)
    {
        var clone = schema.DeepClone();
        if (clone is JsonObject root) root.Remove("$schema");
        return clone;
    }

    /// <summary>Every content part of every item of the requests' <paramref name="list"/> (input items or messages).</summary>
    private List<JsonObject> Parts(string list, string content) =>
        [.. Requests.SelectMany(r => r.Json[list] as JsonArray ?? []).SelectMany(i => i?[content] as JsonArray ?? []).OfType<JsonObject>()];

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();
}
