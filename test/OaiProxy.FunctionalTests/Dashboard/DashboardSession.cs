using Microsoft.Playwright;
using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Dashboard;

/// <summary>The proxy with a week of seeded usage (<see cref="DashboardSeed"/>) and a browser page on its dashboard, not signed in yet.</summary>
internal sealed class DashboardSession : IAsyncDisposable
{
    private FakeOpenAiServer? _upstream;
    private StorageProxy? _sut;
    private DashboardBrowser? _browser;

    public StorageProxy Sut => _sut!;

    public DashboardSeed Seed { get; private set; } = null!;

    public DashboardBrowser Browser => _browser!;

    public IPage Page { get; private set; } = null!;

    public static async Task<DashboardSession> StartAsync()
    {
        if (ChromiumFactAttribute.MissingReason is { } missing) Assert.Fail(missing); // in CI a missing browser fails, never skips
        var session = new DashboardSession();
        try
        {
            session._upstream = await FakeOpenAiServer.StartAsync();
            session._sut = await StorageProxy.StartAsync(session._upstream);
            session.Seed = await DashboardSeed.CreateAsync(session._sut);
            session._browser = await DashboardBrowser.StartAsync();
            session.Page = await session._browser.NewPageAsync(session._sut.Proxy.Address);
            await session.Page.GotoAsync(new Uri(session._sut.Proxy.Address, "/ui").ToString());
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs in with the master key and waits for the first render of the dashboard.</summary>
    public async Task SignInAsync()
    {
        await Page.FillAsync("#master-key", StorageProxy.MasterKey);
        await Page.ClickAsync("#login-submit");
        await Page.WaitForFunctionAsync("() => Number(document.body.dataset.renders) >= 1");
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        if (_sut is not null) await _sut.DisposeAsync();
        if (_upstream is not null) await _upstream.DisposeAsync();
    }
}
