using Microsoft.Playwright;

namespace OaiProxy.FunctionalTests.Dashboard;

/// <summary>
/// Playwright on Debian's chromium (never a downloaded browser), with the flags that keep chromium from calling
/// home, recording every URL the page requests and every console error or failed request.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public List<string> Requests { get; } = [];

    /// <summary>Console errors (a CSP violation is one), uncaught exceptions and failed requests.</summary>
    public List<string> Problems { get; } = [];

    public static async Task<DashboardBrowser> StartAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return new DashboardBrowser(playwright, browser);
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            TimezoneId = "UTC",
            Locale = "en-US",
        });
        var page = await context.NewPageAsync();
        page.Request += (_, request) => { lock (Requests) Requests.Add(request.Url); };
        page.Console += (_, message) =>
        {
            // The page names no icon, so chromium probes /favicon.ico on its own (outside the page's requests) and logs its 404.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                lock (Problems) Problems.Add($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => { lock (Problems) Problems.Add($"page error: {error}"); };
        page.RequestFailed += (_, request) => { lock (Problems) Problems.Add($"failed: {request.Url} {request.Failure}"); };
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
