using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Logging;
using OaiProxy.Runtime;
using OaiProxy.Testing.Anthropic;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Security;

/// <summary>
/// Finding 5 (security-findings.md): no configured secret reaches a client, <c>/metrics</c> or the request log
/// through any field of an upstream error, a cut excerpt, or an error event in the middle of a stream.
/// </summary>
public sealed class UpstreamErrorSecretTests
{
    private const string MasterKey = "mk-master-0123456789abcdef-SECRET";
    private const string HeaderSecret = "azure-header-secret-4f1e2d3c";
    private const string OtherKey = "sk-other-connection-SECRET-998877";

    private static string Config(FakeOpenAiServer u) =>
        $"master_key = \"{MasterKey}\"\n" +
        ProxyFixture.DefaultConfig(u, connectionExtra: $"max_retries = 0\nhttp_headers = {{ \"api-key\" = \"{HeaderSecret}\" }}") + $$"""

            [connections.other]
            api_type = "open_ai"
            api_base = "http://127.0.0.1:9/v1"
            api_key = "{{OtherKey}}"
            """ + LoggingTests.FullLogger;

    private static string[] Secrets(FakeOpenAiServer u) => [u.ApiKey, MasterKey, HeaderSecret, OtherKey];

    private static StringContent Chat(bool stream = false) => new(
        $$"""{"model":"gpt-4o","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json");

    /// <summary>What every place outside the proxy saw: the client's answer, a scrape of /metrics, the request log.</summary>
    private static async Task<string> EverywhereAsync(ProxyFixture f, string clientSaw)
    {
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await f.Proxy.Service<LogDispatcher>().FlushAsync();
        using var http = f.Http(key: null);
        var metrics = await http.GetStringAsync("/metrics");
        var log = await File.ReadAllTextAsync(Path.Combine(f.Proxy.Directory, "storage", "full.log"));
        return clientSaw + "\n" + metrics + "\n" + log;
    }

    private static void AssertNoSecret(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            // A cut must never leave a recognisable prefix either.
            Assert.DoesNotContain(secret[..10], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task JsonError_EveryField_IsScrubbed_ForClientMetricsAndLog()
    {
        await using var f = await ProxyFixture.StartAsync(Config);
        var echo = string.Join(" ", Secrets(f.Upstream).Select(s => "Bearer " + s));
        f.Upstream.Handler = _ => new FakeReply.Raw(400, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = "bad header: " + echo,
                ["type"] = "t:" + echo,
                ["param"] = "authorization=" + echo,
                ["code"] = "c:" + echo,
            },
        }.ToJsonString());
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", Chat());
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[redacted]", JsonNode.Parse(body)!["error"]!["param"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertNoSecret(await EverywhereAsync(f, body), Secrets(f.Upstream));
    }

    [Fact]
    public async Task ErrorLabelsInMetrics_ComeFromAFixedSet()
    {
        await using var f = await ProxyFixture.StartAsync(Config);
        f.Upstream.Handler = r => new FakeReply.Raw(429, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = "slow down", ["type"] = $"free text {r.Body.Length}", ["code"] = $"code-{Guid.NewGuid():N}" },
        }.ToJsonString());
        using var http = f.Http();

        for (var i = 0; i < 3; i++)
        {
            using var response = await http.PostAsync("/v1/chat/completions", Chat());
            Assert.Equal((HttpStatusCode)429, response.StatusCode);
        }
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await f.Proxy.Service<LogDispatcher>().FlushAsync();
        using var scrape = f.Http(key: null);

        var labels = Observability.PrometheusSample.Parse(await scrape.GetStringAsync("/metrics"))
            .SelectMany(s => s.Labels.Where(l => l.Key == "error_type").Select(l => l.Value)).Distinct().ToList();
        Assert.NotEmpty(labels);
        Assert.DoesNotContain(labels, l => l.StartsWith("code-", StringComparison.Ordinal) || l.StartsWith("free text", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(478)]
    [InlineData(488)]
    [InlineData(493)]
    public async Task PlainTextError_KeyAtTheCut_LeavesNoPrefix(int at)
    {
        await using var f = await ProxyFixture.StartAsync(Config);
        var text = new string('x', at) + f.Upstream.ApiKey + new string('y', 200);
        f.Upstream.Handler = _ => new FakeReply.Raw(500, text, "text/html");
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", Chat());
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        AssertNoSecret(await EverywhereAsync(f, body), [f.Upstream.ApiKey]);
        Assert.DoesNotContain(f.Upstream.ApiKey[..7], body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatStream_ErrorEventMidStream_IsScrubbed()
    {
        await using var f = await ProxyFixture.StartAsync(Config);
        var first = OpenAiWire.Chunk("c", "gpt-4o", new JsonObject { ["role"] = "assistant", ["content"] = "Hel" }).ToJsonString();
        var echo = string.Join(" ", Secrets(f.Upstream).Select(s => "Bearer " + s));
        f.Upstream.Handler = _ => new FakeReply.Stream([first, new JsonObject { ["error"] = new JsonObject { ["message"] = "key was " + echo, ["code"] = echo } }.ToJsonString()],
            SendDone: false);
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", Chat(stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("[redacted]", body, StringComparison.Ordinal);
        AssertNoSecret(await EverywhereAsync(f, body), Secrets(f.Upstream));
    }

    [Fact]
    public async Task ResponsesStream_UpstreamResponseFailed_IsScrubbed()
    {
        await using var f = await ProxyFixture.StartAsync(Config);
        var events = OpenAiResponsesWire.Events("resp_failed1", "gpt-4o", [OpenAiResponsesWire.Message("msg_1", "Partial.")], status: "failed");
        var echo = string.Join(" ", Secrets(f.Upstream).Select(s => "Bearer " + s));
        events[^1]["response"]!["error"] = new JsonObject { ["code"] = "server_error", ["message"] = "upstream said " + echo, ["details"] = new JsonObject { ["auth"] = echo } };
        f.Upstream.ResponsesHandler = _ => new FakeReply.Events(events);
        using var client = new Responses.ResponsesClient(f.Proxy.BaseUrl);

        var (raw, received) = await client.StreamAsync("""{"model":"gpt-4o","stream":true,"input":"Hi"}""");

        Assert.Equal("response.failed", received[^1]["type"]!.GetValue<string>());
        Assert.Contains("[redacted]", received[^1]["response"]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertNoSecret(await EverywhereAsync(f, raw), Secrets(f.Upstream));
    }

    [Fact]
    public async Task ResponsesStream_ErrorEvent_IsScrubbed()
    {
        await using var f = await ProxyFixture.StartAsync(Config);
        var events = OpenAiResponsesWire.Events("resp_err1", "gpt-4o", [OpenAiResponsesWire.Message("msg_1", "Partial.")]);
        var echo = string.Join(" ", Secrets(f.Upstream).Select(s => "Bearer " + s));
        events[^1] = new JsonObject { ["type"] = "error", ["sequence_number"] = events.Count - 1, ["code"] = "c:" + echo, ["message"] = "upstream said " + echo };
        f.Upstream.ResponsesHandler = _ => new FakeReply.Events(events);
        using var client = new Responses.ResponsesClient(f.Proxy.BaseUrl);

        var (raw, _) = await client.StreamAsync("""{"model":"gpt-4o","stream":true,"input":"Hi"}""");

        Assert.Contains("[redacted]", raw, StringComparison.Ordinal);
        AssertNoSecret(await EverywhereAsync(f, raw), Secrets(f.Upstream));
    }
}
