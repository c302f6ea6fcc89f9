using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OaiProxy.Testing.Gemini;

/// <summary>
/// A strict fake of the Gemini API on 127.0.0.1, in AI Studio mode (<c>x-goog-api-key</c>, <c>/v1beta/models/…</c>)
/// or Vertex mode (a Bearer token the <see cref="FakeGoogleTokenServer"/> issued, <c>/v1/projects/…</c>). It checks
/// requests like the real API (<see cref="GeminiRequestValidator"/>), answers errors in Google's shape, records every
/// request, and replies with what <see cref="Handler"/> scripts.
/// </summary>
public sealed partial class FakeGeminiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeGoogleTokenServer? _tokens;

    private FakeGeminiServer(WebApplication app, Uri address, string apiKey, FakeGoogleTokenServer? tokens)
    {
        _app = app;
        Address = address;
        ApiKey = apiKey;
        _tokens = tokens;
    }

    public string ApiKey { get; }

    public Uri Address { get; }

    /// <summary>The <c>api_base</c> to configure: scheme, host and port.</summary>
    public string ApiBase => Address.ToString().TrimEnd('/');

    public bool IsVertex => _tokens is not null;

    public ConcurrentQueue<GeminiRecordedRequest> Requests { get; } = new();

    public Func<GeminiRecordedRequest, GeminiReply> Handler { get; set; } = _ => GeminiReply.Default;

    /// <summary>Models served by <c>GET /v1beta/models</c>, as (id, supported methods); served two per page.</summary>
    public List<(string Id, string[] Methods)> Models { get; } =
    [
        ("gemini-2.5-flash", ["generateContent", "countTokens"]),
        ("gemini-2.5-pro", ["generateContent", "countTokens"]),
        ("gemini-embedding-001", ["embedContent"]),
        ("gemini-3-pro-preview", ["generateContent"]),
        ("imagen-4.0-generate-001", ["predict"]),
    ];

    public static Task<FakeGeminiServer> StartAsync(string apiKey = "AIzaSy-fake-gemini-key-0123456789") => StartAsync(apiKey, null);

    /// <summary>A Vertex AI fake that accepts the tokens <paramref name="tokens"/> issued.</summary>
    public static Task<FakeGeminiServer> StartVertexAsync(FakeGoogleTokenServer tokens) => StartAsync("", tokens);

    private static async Task<FakeGeminiServer> StartAsync(string apiKey, FakeGoogleTokenServer? tokens)
    {
        FakeGeminiServer? server = null;
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1beta/models/{**rest}", (HttpContext c, string rest) => server!.GenerateAsync(c, rest));
            app.MapPost("/v1/projects/{project}/locations/{location}/publishers/google/models/{**rest}", (HttpContext c, string rest) => server!.GenerateAsync(c, rest));
            app.MapGet("/v1beta/models", (HttpContext c) => server!.ListAsync(c));
        });
        server = new FakeGeminiServer(app, address, apiKey, tokens);
        return server;
    }

    private async Task GenerateAsync(HttpContext context, string rest)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var colon = rest.LastIndexOf(':');
        var model = colon < 0 ? rest : rest[..colon];
        var method = colon < 0 ? "" : rest[(colon + 1)..];
        var recorded = new GeminiRecordedRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body, model, method == "streamGenerateContent");
        Requests.Enqueue(recorded);
        if (!await CheckAuthAsync(context)) return;
        if (method == "batchEmbedContents")
        {
            await EmbedAsync(context, model, body);
            return;
        }
        if (method is not ("generateContent" or "streamGenerateContent"))
        {
            await WriteErrorAsync(context, 404, "NOT_FOUND", $"Method \"{method}\" not found.");
            return;
        }
        if (recorded.Stream && context.Request.Query["alt"] != "sse")
        {
            await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", "This fake only speaks alt=sse streams.");
            return;
        }
        if (!context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) ?? true)
        {
            await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
            return;
        }
        JsonObject json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unexpected token.");
            return;
        }
        if (model.StartsWith("does-not-exist", StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, 404, "NOT_FOUND", $"models/{model} is not found for API version v1beta, or is not supported for generateContent.");
            return;
        }
        if (GeminiRequestValidator.Validate(json, model) is { } problem)
        {
            await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", problem);
            return;
        }
        await ReplyAsync(context, recorded, Handler(recorded));
    }

    private async Task<bool> CheckAuthAsync(HttpContext context)
    {
        if (_tokens is not null)
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.Ordinal) && _tokens.IsValid(header[7..])) return true;
            await WriteErrorAsync(context, 401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
            return false;
        }
        if (context.Request.Headers["x-goog-api-key"] == ApiKey && !context.Request.Query.ContainsKey("key")) return true;
        await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", new JsonArray(new JsonObject
        {
            ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
            ["reason"] = "API_KEY_INVALID",
            ["domain"] = "googleapis.com",
        }));
        return false;
    }

    private async Task ListAsync(HttpContext context)
    {
        if (!await CheckAuthAsync(context)) return;
        var start = int.TryParse(context.Request.Query["pageToken"], out var token) ? token : 0;
        var page = Models.Skip(start).Take(2).Select(m => (JsonNode)new JsonObject
        {
            ["name"] = "models/" + m.Id,
            ["displayName"] = m.Id,
            ["supportedGenerationMethods"] = new JsonArray(m.Methods.Select(x => (JsonNode)x).ToArray()),
        }).ToArray();
        var result = new JsonObject { ["models"] = new JsonArray(page) };
        if (start + 2 < Models.Count) result["nextPageToken"] = (start + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WriteJsonAsync(context, 200, result.ToJsonString());
    }

    private static async Task ReplyAsync(HttpContext context, GeminiRecordedRequest request, GeminiReply reply)
    {
        switch (reply)
        {
            case GeminiReply.DefaultReply:
                var text = $"Hello from {request.Model}!";
                if (request.Stream)
                {
                    await StreamAsync(context, new GeminiReply.Stream(GeminiWire.TextStream(text, candidates: request.CandidateCount, model: request.Model)));
                }
                else
                {
                    var candidates = Enumerable.Range(0, request.CandidateCount).Select(i => GeminiWire.Candidate([GeminiWire.Text(text)], "STOP", i));
                    await WriteJsonAsync(context, 200, GeminiWire.Response(candidates, GeminiWire.Usage(9, 4 * request.CandidateCount), request.Model).ToJsonString());
                }
                break;
            case GeminiReply.Content content:
                var usage = content.Usage ?? GeminiWire.Usage(9, 6);
                if (request.Stream) await StreamAsync(context, new GeminiReply.Stream(GeminiWire.PartStream(content.Parts, content.FinishReason, usage, request.Model, content.ResponseId)));
                else await WriteJsonAsync(context, 200, GeminiWire.Response([GeminiWire.Candidate(content.Parts.Select(p => p.DeepClone().AsObject()), content.FinishReason)], usage, request.Model, content.ResponseId).ToJsonString());
                break;
            case GeminiReply.Response response:
                if (request.Stream) await StreamAsync(context, new GeminiReply.Stream([response.Body.ToJsonString()]));
                else await WriteJsonAsync(context, 200, response.Body.ToJsonString());
                break;
            case GeminiReply.Stream stream:
                await StreamAsync(context, stream);
                break;
            case GeminiReply.Error error:
                foreach (var (name, value) in error.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
                await WriteErrorAsync(context, error.HttpStatus, error.Status, error.Message, error.Details);
                break;
            case GeminiReply.Raw raw:
                context.Response.StatusCode = raw.HttpStatus;
                context.Response.ContentType = raw.ContentType;
                await context.Response.WriteAsync(raw.Body, context.RequestAborted);
                break;
        }
    }

    private static async Task StreamAsync(HttpContext context, GeminiReply.Stream stream)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        await response.StartAsync(context.RequestAborted);
        foreach (var payload in stream.Events)
        {
            await response.WriteAsync($"data: {payload}\r\n\r\n", context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
        if (stream.RawTail is not null) await response.WriteAsync(stream.RawTail, context.RequestAborted);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string googleStatus, string message, JsonArray? details = null) =>
        WriteJsonAsync(context, status, GeminiWire.ErrorBody(status, googleStatus, message, details).ToJsonString());

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
