// OaiProxy inside your own ASP.NET Core app: the gateway's endpoints next to yours, and an in-process call.
using System.Text.Json.Nodes;
using OaiProxy.Endpoints;
using OaiProxy.Hosting;

var builder = WebApplication.CreateBuilder(args);

// 1. Register the engine with a config file (TOML, JSON or YAML).
builder.Services.AddOaiProxy(Path.Combine(AppContext.BaseDirectory, "proxy.toml"));

var app = builder.Build();

// 2. Map the OpenAI-compatible endpoints (/v1/chat/completions, /v1/models, /health).
app.MapOaiProxy();

// 3. Your own endpoint calls the proxy in-process: same routing, failover and logging, no HTTP hop.
app.MapGet("/summarize", async (string text, OaiProxyClient proxy, CancellationToken cancellationToken) =>
{
    var request = new JsonObject
    {
        ["model"] = "gpt-4o-mini",
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"Summarize: {text}" }),
    };
    using var completion = await proxy.ChatAsync(request, group: "default", cancellationToken);
    return completion.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
});

app.Run();
