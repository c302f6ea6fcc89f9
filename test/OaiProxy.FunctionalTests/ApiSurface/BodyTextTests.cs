using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Logging;
using OaiProxy.Runtime;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.ApiSurface;

/// <summary>
/// Bodies whose text no parser may read, on every endpoint with a body: invalid UTF-8 and lone surrogates (security
/// finding 10), a 1 MB model name (finding 7), a duplicate model key (finding 14). Each is a 400 in the caller's
/// dialect, before any upstream, limit or log sees the body.
/// </summary>
public sealed class BodyTextTests
{
    private const string Huge = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz";

    /// <summary>Each endpoint's smallest valid body; MODEL and CONTENT are replaced by the test's bytes.</summary>
    private static readonly (string Path, string Body, bool Anthropic)[] Endpoints =
    [
        ("/v1/chat/completions", """{"model":"MODEL","messages":[{"role":"user","content":"CONTENT"}]}""", false),
        ("/v1/completions", """{"model":"MODEL","prompt":"CONTENT"}""", false),
        ("/v1/embeddings", """{"model":"MODEL","input":"CONTENT"}""", false),
        ("/v1/responses", """{"model":"MODEL","input":"CONTENT"}""", false),
        ("/v1/messages", """{"model":"MODEL","max_tokens":16,"messages":[{"role":"user","content":"CONTENT"}]}""", true),
        ("/v1/messages/count_tokens", """{"model":"MODEL","messages":[{"role":"user","content":"CONTENT"}]}""", true),
    ];

    public static TheoryData<string, byte[], byte[]> InvalidText => new()
    {
        { "raw bytes in the model", [.. "gpt"u8, 0xff, 0xfe], "hi"u8.ToArray() },
        { "raw bytes in the content", "gpt-4o"u8.ToArray(), [.. "hi "u8, 0xc3, 0x28] },
        { "a lone surrogate escape in the model", "gpt\\ud800"u8.ToArray(), "hi"u8.ToArray() },
        { "a lone surrogate escape in the content", "gpt-4o"u8.ToArray(), "hi \\udc00"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(InvalidText))]
    public async Task InvalidText_OnEveryEndpoint_Is400InTheCallersDialect_NeverA500(string what, byte[] model, byte[] content)
    {
        var logs = new CapturingLoggerProvider();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        // A token limit makes the proxy count the prompt's tokens, another reader of every string in the body.
        await using var proxy = await StartAsync(upstream, logs, "tpm = 1000000");
        using var http = Http(proxy);

        foreach (var endpoint in Endpoints)
        {
            var (status, error) = await PostAsync(http, endpoint, model, content);

            Assert.True(status == HttpStatusCode.BadRequest, $"{what} on {endpoint.Path}: {status} {error}");
            AssertDialect(endpoint, error, "invalid_json");
        }
        Assert.Empty(upstream.Requests);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("Unhandled", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MegabyteModelName_OnEveryEndpoint_Is400_AndNothingOfItReachesTheLogOrTheMetrics()
    {
        var logs = new CapturingLoggerProvider();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var proxy = await StartAsync(upstream, logs);
        using var http = Http(proxy);
        var model = Encoding.ASCII.GetBytes("gpt" + string.Concat(Enumerable.Repeat(Huge, 1024 * 1024 / Huge.Length)));

        foreach (var endpoint in Endpoints)
        {
            var (status, error) = await PostAsync(http, endpoint, model, "hi"u8.ToArray());

            Assert.True(status == HttpStatusCode.BadRequest, $"{endpoint.Path}: {status}");
            AssertDialect(endpoint, error, "invalid_value");
            Assert.True(error.ToJsonString().Length < 1000, $"{endpoint.Path} echoed the name: {error.ToJsonString().Length} characters");
        }

        Assert.Empty(upstream.Requests);
        await proxy.Service<RequestTracker>().WhenIdleAsync();
        await proxy.Service<LogDispatcher>().FlushAsync();
        var requestLog = await File.ReadAllTextAsync(Path.Combine(proxy.Directory, "storage", "full.log"));
        Assert.Equal(Endpoints.Length, requestLog.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(Huge, requestLog, StringComparison.Ordinal);
        Assert.DoesNotContain(Huge, await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Huge, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuplicateModelKey_OnEveryEndpoint_Is400_AndNeverReachesTheUpstream()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var proxy = await StartAsync(upstream, new CapturingLoggerProvider());
        using var http = Http(proxy);

        foreach (var endpoint in Endpoints)
        {
            // Routed as the last, forwarded as the first: the proxy and a first-wins upstream would disagree.
            var body = endpoint.Body.Replace("\"model\":\"MODEL\"", "\"model\":\"expensive-model\"", StringComparison.Ordinal)
                .Replace("CONTENT", "hi", StringComparison.Ordinal)[..^1] + ",\"model\":\"gpt-4o-mini\"}";
            using var response = await http.PostAsync(endpoint.Path, new StringContent(body, Encoding.UTF8, "application/json"));
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{endpoint.Path}: {response.StatusCode}");
            AssertDialect(endpoint, error, "invalid_json");
            Assert.Contains("\"model\"", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Empty(upstream.Requests);
    }

    private static Task<ProxyTestServer> StartAsync(FakeOpenAiServer upstream, ILoggerProvider logs, string groupExtra = "") =>
        ProxyTestServer.StartAsync(ProxyFixture.DefaultConfig(upstream, groupExtra) + """

            [[loggers]]
            class = 'lm_proxy.loggers.BaseLogger'
            [loggers.log_writer]
            class = 'lm_proxy.loggers.JsonLogWriter'
            file_name = 'storage/full.log'
            """, configureServices: services => services.AddSingleton(logs));

    private static HttpClient Http(ProxyTestServer proxy)
    {
        var http = new HttpClient { BaseAddress = proxy.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ProxyFixture.ClientKey);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return http;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Error)> PostAsync(HttpClient http, (string Path, string Body, bool Anthropic) endpoint,
        byte[] model, byte[] content)
    {
        var parts = endpoint.Body.Split("MODEL").SelectMany(p => p.Split("CONTENT")).Select(Encoding.UTF8.GetBytes).ToArray();
        byte[] body = [.. parts[0], .. model, .. parts[1], .. content, .. parts[2]];
        using var request = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using var response = await http.PostAsync(endpoint.Path, request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    private static void AssertDialect((string Path, string Body, bool Anthropic) endpoint, JsonObject answer, string openAiCode)
    {
        if (endpoint.Anthropic)
        {
            Assert.Equal("error", answer["type"]!.GetValue<string>());
            Assert.Equal("invalid_request_error", answer["error"]!["type"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(openAiCode, answer["error"]!["code"]!.GetValue<string>());
        }
    }
}
