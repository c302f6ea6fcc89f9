using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Storage.Hosting;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Dashboard;

/// <summary>The dashboard's files over HTTP: types, a strict CSP, validators, gzip, and no dashboard without a master key.</summary>
public sealed class DashboardAssetsTests
{
    [Fact]
    public async Task Page_IsServedWithStrictCspAndRevalidation()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);
        using var http = new HttpClient { BaseAddress = sut.Proxy.Address };

        using var page = await http.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(page.Headers.CacheControl!.NoCache);
        Assert.Contains("/ui/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/");
        again.Headers.IfNoneMatch.Add(page.Headers.ETag!);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var missing = await http.GetAsync("/ui/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ChartJs_IsServedFromTheProxy_GzippedWhenAccepted()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);
        using var http = new HttpClient { BaseAddress = sut.Proxy.Address };
        var plain = await http.GetByteArrayAsync("/ui/vendor/chart.umd.min.js");
        Assert.StartsWith("/*!\n * Chart.js v4.6.1", System.Text.Encoding.UTF8.GetString(plain, 0, 30), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/vendor/chart.umd.min.js");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await http.SendAsync(request);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        await gzip.CopyToAsync(unzipped);
        Assert.Equal(plain, unzipped.ToArray());
    }

    [Fact]
    public async Task Dashboard_WithoutMasterKey_DoesNotExist()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var proxy = await ProxyTestServer.StartAsync(ProxyFixture.DefaultConfig(upstream),
            configureServices: services => services.AddOaiProxyStorage());
        using var http = new HttpClient { BaseAddress = proxy.Address };
        using var response = await http.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("master_key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
