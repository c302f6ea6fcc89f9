using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Endpoints;
using OaiProxy.Hosting;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests;

public sealed class LibraryTests
{
    private static JsonObject Request(string model) => new()
    {
        ["model"] = model,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }),
    };

    private static async Task<WebApplication> HostAsync(FakeOpenAiServer upstream)
    {
        var configPath = Path.Combine(Directory.CreateTempSubdirectory("oaiproxy-lib").FullName, "proxy.toml");
        await File.WriteAllTextAsync(configPath, ProxyFixture.DefaultConfig(upstream));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddOaiProxy(configPath);
        var app = builder.Build();
        app.MapOaiProxy();
        app.MapGet("/mine", () => "my own endpoint");
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task AddOaiProxy_MapOaiProxy_ServeInsideAnotherApp()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var app = await HostAsync(upstream);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ProxyFixture.ClientKey);

        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(Request("gpt-4o").ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("my own endpoint", await http.GetStringAsync("/mine"));
    }

    [Fact]
    public async Task OaiProxyClient_ChatAsync_RunsInProcess()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var app = await HostAsync(upstream);
        var client = app.Services.GetRequiredService<OaiProxyClient>();

        using var completion = await client.ChatAsync(Request("alias-model"));

        Assert.Equal("Hello from gpt-4o-mini!", completion.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task OaiProxyClient_StreamChatAsync_YieldsChunks()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var app = await HostAsync(upstream);
        var client = app.Services.GetRequiredService<OaiProxyClient>();
        var text = "";

        await foreach (var chunk in client.StreamChatAsync(Request("gpt-4o")))
        {
            using (chunk)
            {
                var choices = chunk.RootElement.GetProperty("choices");
                if (choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content)) text += content.GetString();
            }
        }

        Assert.Equal("Hello from gpt-4o!", text);
    }

    [Fact]
    public async Task OaiProxyClient_Error_ThrowsWithOpenAiError()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var app = await HostAsync(upstream);
        var client = app.Services.GetRequiredService<OaiProxyClient>();

        var e = await Assert.ThrowsAsync<OaiProxyException>(() => client.ChatAsync(Request("claude-x")));

        Assert.Equal(404, e.Error.Status);
        Assert.Equal("model_not_found", e.Error.Code);
    }
}
