using System.Globalization;
using Microsoft.Playwright;
using OaiProxy.FunctionalTests.Storage;
using Xunit.Abstractions;

namespace OaiProxy.FunctionalTests.Dashboard;

/// <summary>
/// The dashboard in a real headless browser (Debian's chromium, driven by Playwright): sign-in, charts of seeded
/// usage, filtering by key and by endpoint, no request leaving the proxy, and screenshots kept under TestResults/ui.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task Dashboard_SignsInShowsSeededUsageAndFiltersByKey()
    {
        await using var session = await DashboardSession.StartAsync();
        var (seed, browser, page) = (session.Seed, session.Browser, session.Page);

        await page.FillAsync("#master-key", "not-the-master-key-at-all");
        await page.ClickAsync("#login-submit");
        await page.WaitForFunctionAsync("() => document.body.dataset.state === 'login-failed'");
        Assert.Contains("not accepted", await page.TextContentAsync("#login-error"), StringComparison.Ordinal);
        Assert.True(await page.IsHiddenAsync("#dashboard-view"));
        browser.Problems.Clear(); // the refused key's 401, logged by the browser as a failed load
        var artifacts = Path.Combine(AppContext.BaseDirectory, "TestResults", "ui");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "login-refused.png") });

        await session.SignInAsync();
        await AssertShowsAsync(page, seed.All);
        Assert.Equal(7 * 24, await page.EvaluateAsync<int>("() => Chart.getChart('chart-requests').data.labels.length"));
        Assert.Equal(seed.Records.Select(r => r.Model).Distinct().Order(), (await page.EvaluateAsync<string[]>(
            "() => Chart.getChart('chart-breakdown').data.labels")).Order());
        Assert.Equal(seed.KeyIds.Order(), (await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('#keys-table tbody tr')].map(r => r.dataset.keyId)")).Order());

        var key = seed.KeyIds[1];
        await SelectAsync(page, "#filter-key", key);
        await AssertShowsAsync(page, seed.ForKey(key));
        Assert.Equal("ci-bot", await page.EvaluateAsync<string>("() => document.querySelector('#filter-key').selectedOptions[0].text"));

        await SelectAsync(page, "#filter-key", "");
        await SelectAsync(page, "#range", "30d");
        await AssertShowsAsync(page, seed.All);
        Assert.Equal(30, await page.EvaluateAsync<int>("() => Chart.getChart('chart-requests').data.labels.length"));
        await SelectAsync(page, "#range", "7d");
        await SelectAsync(page, "#breakdown", "key");
        Assert.Equal(["analytics", "ci-bot", "web-app"], (await page.EvaluateAsync<string[]>("() => Chart.getChart('chart-breakdown').data.labels")).Order());

        var screenshot = Path.Combine(artifacts, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"Dashboard screenshot: {screenshot}");

        Assert.True(browser.Problems.Count == 0, string.Join("\n", browser.Problems));
        Assert.NotEmpty(browser.Requests);
        Assert.All(browser.Requests, url =>
        {
            Assert.Equal("127.0.0.1", new Uri(url).Host);
            Assert.DoesNotContain(StorageProxy.MasterKey, url, StringComparison.Ordinal);
        });
    }

    [ChromiumFact]
    public async Task Dashboard_EndpointFilter_ListsResponsesAndNarrowsTheTotals()
    {
        await using var session = await DashboardSession.StartAsync();
        var (seed, page) = (session.Seed, session.Page);
        await session.SignInAsync();

        Assert.Equal("Endpoint", await page.TextContentAsync("label[for=filter-endpoint]"));
        Assert.Equal(["All endpoints", "chat.completions", "messages", "responses"], await page.EvaluateAsync<string[]>(
            "() => [...document.querySelector('#filter-endpoint').options].map(o => o.text)"));
        await SelectAsync(page, "#filter-endpoint", "responses");
        await AssertShowsAsync(page, seed.ForEndpoint("responses"));
        Assert.True(seed.ForEndpoint("responses").Requests is > 0 and < 240);

        await SelectAsync(page, "#filter-endpoint", "");
        await AssertShowsAsync(page, seed.All);
        await SelectAsync(page, "#breakdown", "endpoint");
        Assert.Equal("Endpoint", await page.TextContentAsync("#breakdown-name"));
        var shares = await page.EvaluateAsync<Dictionary<string, double>>("""
            () => { const c = Chart.getChart('chart-breakdown'); return Object.fromEntries(c.data.labels.map((l, i) => [l, c.data.datasets[0].data[i]])); }
            """);
        Assert.Equal(new Dictionary<string, double>
        {
            ["(not recorded)"] = seed.ForEndpoint(null).Requests,
            ["chat.completions"] = seed.ForEndpoint("chat.completions").Requests,
            ["messages"] = seed.ForEndpoint("messages").Requests,
            ["responses"] = seed.ForEndpoint("responses").Requests,
        }, shares);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "TestResults", "ui", "dashboard-endpoints.png"), FullPage = true });
        Assert.True(session.Browser.Problems.Count == 0, string.Join("\n", session.Browser.Problems));
    }

    /// <summary>Chooses an option and waits until the page has shown the answers it asked for.</summary>
    private static async Task SelectAsync(IPage page, string selector, string value)
    {
        var renders = await page.EvaluateAsync<int>("() => Number(document.body.dataset.renders)");
        await page.SelectOptionAsync(selector, value);
        await page.WaitForFunctionAsync($"() => Number(document.body.dataset.renders) > {renders}");
    }

    /// <summary>The tiles and the charts over time add up to exactly <paramref name="expected"/>.</summary>
    private static async Task AssertShowsAsync(IPage page, DashboardSeed.Totals expected)
    {
        Assert.Equal(expected.Requests, long.Parse(await Tile(page, "requests"), CultureInfo.InvariantCulture));
        Assert.Equal(expected.Prompt + expected.Completion, long.Parse(await Tile(page, "tokens"), CultureInfo.InvariantCulture));
        Assert.Equal(expected.Cost, decimal.Parse(await Tile(page, "cost"), CultureInfo.InvariantCulture));
        var sums = await page.EvaluateAsync<double[]>("""
            () => ['requests', 'tokens', 'cost'].flatMap(id => Chart.getChart('chart-' + id).data.datasets.map(d => d.data.reduce((a, b) => a + b, 0)))
            """);
        Assert.Equal(expected.Requests - expected.Errors, sums[0]);
        Assert.Equal(expected.Errors, sums[1]);
        Assert.Equal(expected.Prompt, sums[2]);
        Assert.Equal(expected.Completion, sums[3]);
        Assert.Equal((double)expected.Cost, sums[4], 9);
    }

    private static async Task<string> Tile(IPage page, string name) => (await page.GetAttributeAsync($"#tile-{name}", "data-value"))!;
}
