using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Testing.Gemini;

namespace OaiProxy.FunctionalTests.Gemini;

/// <summary>
/// What one request may make the proxy download and send for Gemini (security finding 6): a 2.5 KB request with 30
/// image URLs made it download 570 MB and send a 760 MB body. Now a request has a count and a byte total for its
/// image URLs, the translated body has a size bound, and each URL is downloaded once per request.
/// </summary>
public sealed class GeminiImageLimitTests
{
    private const string Loopback = "allow_private_image_urls = true\nallow_http_image_urls = true";

    private static StringContent Chat(IEnumerable<string> urls)
    {
        var parts = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = "look" } };
        foreach (var url in urls) parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
        var body = new JsonObject
        {
            ["model"] = "gemini-2.5-flash",
            ["messages"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = parts } },
        };
        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    private static async Task<(HttpStatusCode Status, JsonObject Error)> PostAsync(GeminiFixture f, StringContent body)
    {
        using var http = f.Http();
        using var response = await http.PostAsync("/v1/chat/completions", body);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (response.StatusCode, json["error"]?.AsObject() ?? []);
    }

    private static void AssertRefused(GeminiFixture f, (HttpStatusCode Status, JsonObject Error) answer, HttpStatusCode status, string code, string key)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(code, answer.Error["code"]!.GetValue<string>());
        Assert.Contains(key, answer.Error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(f.Upstream.Requests);
    }

    [Fact]
    public async Task ManyImageUrls_AreRefusedAtTheCount_BeforeTheRestIsDownloaded()
    {
        await using var f = await GeminiFixture.StartAsync(Loopback, images: true);

        var answer = await PostAsync(f, Chat(Enumerable.Range(0, 30).Select(i => new Uri(f.Images!.Address, $"/cat.png?i={i}").ToString())));

        AssertRefused(f, answer, HttpStatusCode.BadRequest, "too_many_images", "max_images_per_request");
        Assert.Equal(16, f.Images!.Downloads);
    }

    [Fact]
    public async Task ImagesOverTheRequestTotal_Are413_AndTheDownloadStopsAtTheTotal()
    {
        await using var f = await GeminiFixture.StartAsync(Loopback + "\nmax_image_bytes_per_request = 100000", images: true);

        var answer = await PostAsync(f, Chat(Enumerable.Range(0, 3).Select(i => new Uri(f.Images!.Address, $"/big.png?i={i}").ToString())));

        AssertRefused(f, answer, HttpStatusCode.RequestEntityTooLarge, "request_too_large", "max_image_bytes_per_request");
        Assert.Equal(2, f.Images!.Downloads);
    }

    [Fact]
    public async Task OneUrlRepeated_CountsEveryTime_ButIsDownloadedOnce()
    {
        await using var f = await GeminiFixture.StartAsync(Loopback + "\nmax_images_per_request = 3", images: true);
        var url = new Uri(f.Images!.Address, "/cat.png").ToString();

        var (ok, _) = await PostAsync(f, Chat(Enumerable.Repeat(url, 3)));
        var (refused, error) = await PostAsync(f, Chat(Enumerable.Repeat(url, 4)));

        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("too_many_images", error["code"]!.GetValue<string>());
        Assert.Equal(2, f.Images!.Downloads); // once for each request
        var sent = Assert.Single(f.Upstream.Requests);
        Assert.Equal(3, sent.Json["contents"]![0]!["parts"]!.AsArray().Count(p => p!["inlineData"] is not null));
    }

    [Fact]
    public async Task Retries_ReuseTheImagesTheFirstAttemptDownloaded()
    {
        await using var f = await GeminiFixture.StartAsync(Loopback, images: true, maxRetries: 2);
        var attempts = 0;
        f.Upstream.Handler = _ => Interlocked.Increment(ref attempts) < 3 ? new GeminiReply.Error(503, "UNAVAILABLE", "busy") : GeminiReply.Default;

        var (status, _) = await PostAsync(f, Chat([new Uri(f.Images!.Address, "/cat.png").ToString(), new Uri(f.Images.Address, "/big.png").ToString()]));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, f.Upstream.Requests.Count);
        Assert.Equal(2, f.Images.Downloads);
    }

    [Fact]
    public async Task TranslatedBodyOverTheBound_Is413_AndNothingIsSent()
    {
        await using var f = await GeminiFixture.StartAsync("max_upstream_request_bytes = 1048576");
        var image = "data:image/png;base64," + Convert.ToBase64String(new byte[900 * 1024]);

        var answer = await PostAsync(f, Chat([image]));

        AssertRefused(f, answer, HttpStatusCode.RequestEntityTooLarge, "request_too_large", "max_upstream_request_bytes");
    }

    [Fact]
    public async Task MessagesDialect_ImageLimit_IsAnAnthropicShaped413()
    {
        await using var f = await GeminiFixture.StartAsync(Loopback + "\nmax_image_bytes_per_request = 100000", images: true);
        var images = string.Join(",", Enumerable.Range(0, 3).Select(i =>
            $$$"""{"type":"image","source":{"type":"url","url":"{{{new Uri(f.Images!.Address, $"/big.png?i={i}")}}}"}}"""));
        using var http = f.Http();
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        using var response = await http.PostAsync("/v1/messages", new StringContent(
            $$"""{"model":"gemini-2.5-flash","max_tokens":64,"messages":[{"role":"user","content":[{"type":"text","text":"look"},{{images}}]}]}""",
            Encoding.UTF8, "application/json"));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("error", answer["type"]!.GetValue<string>());
        Assert.Equal("request_too_large", answer["error"]!["type"]!.GetValue<string>());
        Assert.Empty(f.Upstream.Requests);
    }
}
