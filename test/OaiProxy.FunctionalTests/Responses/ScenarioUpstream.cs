using System.Text.Json.Nodes;
using OaiProxy.FunctionalTests.Anthropic;
using OaiProxy.FunctionalTests.Gemini;
using OaiProxy.Testing;
using OaiProxy.Testing.Anthropic;
using OaiProxy.Testing.Gemini;
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

    /// <summary>Gemini's generateContent (a Gemini 3 model, which wants its thought signatures back): translated through chat's mapping.</summary>
    Gemini,
}

/// <summary>
/// The real proxy in front of one scripted upstream of <see cref="ResponsesUpstreamKind"/>, every <c>gpt*</c> model
/// routed to it, answering the client scenarios' turns on its own wire.
/// </summary>
internal sealed class ScenarioUpstream : IAsyncDisposable
{
    private readonly ResponsesUpstreamKind _kind;
    private readonly IAsyncDisposable _fixture;
    private readonly Func<IReadOnlyList<JsonObject>> _requests;

    private ScenarioUpstream(ResponsesUpstreamKind kind, IAsyncDisposable fixture, ProxyTestServer proxy, Func<IReadOnlyList<JsonObject>> requests)
    {
        _kind = kind;
        _fixture = fixture;
        Proxy = proxy;
        _requests = requests;
    }

    public ProxyTestServer Proxy { get; }

    /// <summary>The bodies of the requests the upstream received, in its own wire's form.</summary>
    public IReadOnlyList<JsonObject> Requests => _requests();

    public static async Task<ScenarioUpstream> StartAsync(ResponsesUpstreamKind kind)
    {
        switch (kind)
        {
            case ResponsesUpstreamKind.Anthropic:
                var anthropic = await AnthropicFixture.StartAsync(u => AnthropicFixture.Config(u).Replace("\"claude*\" = \"claude.*\"", "\"gpt*\" = \"claude.claude-sonnet-4-5\"", StringComparison.Ordinal));
                anthropic.Upstream.Handler = AnthropicScenarioReplies.Messages;
                return new ScenarioUpstream(kind, anthropic, anthropic.Proxy, () => [.. anthropic.Upstream.Requests.Select(r => r.Json)]);
            case ResponsesUpstreamKind.Gemini:
                var gemini = await GeminiFixture.StartAsync(routing: "\"gpt*\" = \"gemini.gemini-3-pro-preview\"");
                gemini.Upstream.Handler = GeminiScenarioReplies.Generate;
                return new ScenarioUpstream(kind, gemini, gemini.Proxy, () => [.. gemini.Upstream.Requests.Select(r => r.Json)]);
            default:
                var native = kind == ResponsesUpstreamKind.Native;
                var openAi = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, connectionExtra: "max_retries = 0\nresponses_api = " + (native ? "true" : "false")));
                if (native) openAi.Upstream.ResponsesHandler = ScenarioReplies.Responses;
                else openAi.Upstream.Handler = ScenarioReplies.Chat;
                return new ScenarioUpstream(kind, openAi, openAi.Proxy, () => [.. openAi.Upstream.Requests.Select(r => r.Json)]);
        }
    }

    /// <summary>
    /// Asserts that one request brought the client's <c>input_image</c> (a base64 PNG data URL) to the upstream in
    /// its own wire's form: passed through untouched, a chat <c>image_url</c> part, an Anthropic base64 image block,
    /// or a Gemini <c>inlineData</c> part (Gemini has no detail level).
    /// </summary>
    public void AssertImageReached(string dataUrl, string detail)
    {
        var data = dataUrl[(dataUrl.IndexOf(',', StringComparison.Ordinal) + 1)..];
        var (parts, expected) = _kind switch
        {
            ResponsesUpstreamKind.Native => (Parts("input", "content"),
                new JsonObject { ["type"] = "input_image", ["image_url"] = dataUrl, ["detail"] = detail }),
            ResponsesUpstreamKind.Chat => (Parts("messages", "content"),
                new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = dataUrl, ["detail"] = detail } }),
            ResponsesUpstreamKind.Anthropic => (Parts("messages", "content"), new JsonObject
            {
                ["type"] = "image",
                ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "image/png", ["data"] = data },
            }),
            ResponsesUpstreamKind.Gemini => (Parts("contents", "parts"),
                new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = "image/png", ["data"] = data } }),
            _ => throw new ArgumentOutOfRangeException(nameof(dataUrl), _kind, "No image form for this upstream kind."),
        };
        var images = parts.Where(p => _kind == ResponsesUpstreamKind.Gemini ? p["inlineData"] is not null : p["type"]?.ToString() == expected["type"]!.ToString()).ToList();
        Assert.True(images.Count == 1 && JsonNode.DeepEquals(images[0], expected), $"Expected {expected.ToJsonString()}, the upstream got [{string.Join(", ", images.Select(i => i.ToJsonString()))}].");
    }

    /// <summary>
    /// Asserts that one request asked the upstream for JSON output under this schema in its own wire's form:
    /// <c>text.format</c> passed through, chat's <c>response_format</c>, Anthropic's <c>output_config.format</c>, or
    /// Gemini's <c>responseMimeType</c> and <c>responseSchema</c>.
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
            ResponsesUpstreamKind.Gemini => (r => r["generationConfig"]?["responseSchema"] is null ? null : r["generationConfig"],
                new JsonObject { ["responseMimeType"] = "application/json", ["responseSchema"] = GeminiSchema(WithoutDraftMarker(schema)) }),
            _ => throw new ArgumentOutOfRangeException(nameof(name), _kind, "No schema form for this upstream kind."),
        };
        var sent = Requests.Select(field).OfType<JsonObject>().Where(f => _kind == ResponsesUpstreamKind.Gemini || f["type"]?.ToString() == "json_schema").ToList();
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
        [.. Requests.SelectMany(r => r[list] as JsonArray ?? []).SelectMany(i => i?[content] as JsonArray ?? []).OfType<JsonObject>()];

    /// <summary>A strict JSON schema in Gemini's OpenAPI subset: no <c>additionalProperties</c>, each object's <c>propertyOrdering</c> added.</summary>
    private static JsonObject GeminiSchema(JsonNode schema)
    {
        var converted = schema.DeepClone().AsObject();
        converted.Remove("additionalProperties");
        if (converted["properties"] is JsonObject properties)
        {
            foreach (var name in properties.Select(p => p.Key).ToList()) properties[name] = GeminiSchema(properties[name]!);
            converted["propertyOrdering"] = new JsonArray([.. properties.Select(p => (JsonNode)p.Key)]);
        }
        if (converted["items"] is JsonObject items) converted["items"] = GeminiSchema(items);
        return converted;
    }

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();
}
