using System.Net;
using System.Text.RegularExpressions;

// The floor of a .NET forwarding hop on this machine, for the load driver's --reference runs: Kestrel in, one
// SocketsHttpHandler out, the body passed through and the answer copied back with a flush per read. No auth, no
// parsing, no logging, no metrics. It reads only `port` and the first `api_base` of the driver's oai-proxy config.
var config = File.ReadAllText(args[Array.IndexOf(args, "--config") + 1]);
var port = int.Parse(Regex.Match(config, @"(?m)^\s*port\s*=\s*(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
var apiBase = Regex.Match(config, "api_base\\s*=\\s*\"([^\"]+)\"").Groups[1].Value.TrimEnd('/');

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, port);
});
var app = builder.Build();
using var upstream = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
    MaxConnectionsPerServer = int.MaxValue,
});
var chatUri = new Uri(apiBase + "/chat/completions");

app.MapGet("/health", () => "ok");
app.MapPost("/v1/chat/completions", async context =>
{
    var aborted = context.RequestAborted;
    using var request = new HttpRequestMessage(HttpMethod.Post, chatUri) { Content = new StreamContent(context.Request.Body) };
    request.Content.Headers.ContentType = new("application/json");
    if (context.Request.ContentLength is long length) request.Content.Headers.ContentLength = length;
    using var response = await upstream.SendAsync(request, aborted);
    context.Response.StatusCode = (int)response.StatusCode;
    context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
    if (response.Content.Headers.ContentLength is long answerLength) context.Response.ContentLength = answerLength;
    await using var body = await response.Content.ReadAsStreamAsync(aborted);
    var buffer = new byte[16 * 1024];
    int read;
    while ((read = await body.ReadAsync(buffer, aborted)) > 0)
    {
        await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
        await context.Response.Body.FlushAsync(aborted);
    }
});
await app.RunAsync();
