using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests;

/// <summary>
/// Where the server listens (security finding 8): a host name is resolved, never read as "every interface", no
/// host at all means loopback, and the start-up log says where it listens.
/// </summary>
public sealed class HostBindingTests
{
    [Theory]
    [InlineData("host = \"LOCALHOST\"\n")]
    [InlineData("host = \"localhost\"\n")]
    [InlineData("")]
    public async Task NameOrNoHost_BindsLoopbackOnly_AndTheLogSaysWhere(string hostLine)
    {
        var logs = new CapturingLoggerProvider();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var proxy = await ProxyTestServer.StartAsync(hostLine + "port = 0\n" + ProxyFixture.DefaultConfig(upstream),
            configureServices: services => services.AddSingleton<ILoggerProvider>(logs));

        var addresses = proxy.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;

        var address = Assert.Single(addresses);
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.Contains("Now listening on: " + address, StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    [Theory]
    [InlineData("my host")]
    [InlineData("127.0.0.1:8000")]
    [InlineData("http://0.0.0.0")]
    public async Task HostThatIsNeitherAnAddressNorAName_StopsStartUp(string host)
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();

        var error = await Assert.ThrowsAsync<ConfigException>(() =>
            ProxyTestServer.StartAsync($"host = \"{host}\"\nport = 0\n" + ProxyFixture.DefaultConfig(upstream)));

        Assert.Contains(error.Errors, e => e.Path == "host" && e.Message.Contains($"\"{host}\"", StringComparison.Ordinal));
    }
}
