using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Limits;
using OaiProxy.Providers;
using OaiProxy.Providers.Anthropic;
using OaiProxy.Requests;
using OaiProxy.Routing;
using OaiProxy.Tests.Pipeline.Fakes;

namespace OaiProxy.Tests.Limits;

/// <summary>
/// Security findings 4 and 12: what the limits reserve is what the upstream is asked for. Before the fix the
/// reservation took default_max_tokens (4096) while the Anthropic translation sent its family default (64000).
/// </summary>
public sealed class OutputCapTests
{
    private sealed class Provider(int? cap) : IProvider
    {
        public ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public int? DefaultMaxTokens(string upstreamModel) => cap;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static RequestBody Chat(string fields)
    {
        Assert.True(ChatRequestParser.TryParse(Encoding.UTF8.GetBytes($$"""{"model":"m","messages":[{"role":"user","content":"hi"}]{{fields}}}"""), out var body, out _));
        return body!;
    }

    private static RouteTarget Target(JsonObject? overrides = null, JsonObject? defaultArgs = null) =>
        new(TestConnections.Create("c") with { DefaultArgs = defaultArgs }, "upstream-model", overrides);

    [Fact]
    public void Of_ClientSetsACap_ThatCapWhateverTheProvider()
    {
        using var body = Chat(""","max_completion_tokens":300""");
        Assert.Equal(300, OutputCap.Of(body, Target(), new Provider(64000)));
        using var legacy = Chat(""","max_tokens":200""");
        Assert.Equal(200, OutputCap.Of(legacy, Target(), new Provider(null)));
    }

    [Fact]
    public void Of_NoClientCap_TheProvidersOwnDefault()
    {
        using var body = Chat("");
        Assert.Equal(64000, OutputCap.Of(body, Target(), new Provider(64000)));
        Assert.Null(OutputCap.Of(body, Target(), new Provider(null)));
    }

    [Fact]
    public void Of_OverridesAndDefaultArgs_AsTheTargetsBodyHasThem()
    {
        using var client = Chat(""","max_tokens":200""");
        Assert.Equal(50, OutputCap.Of(client, Target(overrides: new JsonObject { ["max_tokens"] = 50 }), new Provider(null)));
        Assert.Equal(200, OutputCap.Of(client, Target(defaultArgs: new JsonObject { ["max_tokens"] = 4000 }), new Provider(null)));
        using var none = Chat("");
        Assert.Equal(4000, OutputCap.Of(none, Target(defaultArgs: new JsonObject { ["max_tokens"] = 4000 }), new Provider(64000)));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", null, 64000)]
    [InlineData("claude-opus-4-1-20250805", null, 32000)]
    [InlineData("claude-sonnet-4-5", 1000, 1000)]
    public void AnthropicDefault_IsWhatTheTranslatorSends(string model, int? configured, int expected)
    {
        var settings = new AnthropicSettings { DefaultMaxTokens = configured };
        using var body = Chat("");

        var (sent, _) = AnthropicRequestTranslator.ToAnthropicRequest(body.Root, model, settings, stream: false);

        Assert.Equal(expected, AnthropicMaxTokens.Default(settings, model));
        Assert.Equal(expected, sent!["max_tokens"]!.GetValue<int>());
    }
}
