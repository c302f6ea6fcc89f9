using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace OaiProxy.Testing.OpenAi;

/// <summary>
/// A strict fake of the OpenAI API on 127.0.0.1: it checks the key, the content type and the request shape the way
/// the real API does (401/400/404 in OpenAI's error shape), records every request, and answers with wire-faithful
/// completions and streams, or with whatever <see cref="Handler"/> scripts (errors, stalls, cut streams).
/// </summary>
public sealed partial class FakeOpenAiServer : IAsyncDisposable
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool", "function"];
    private readonly WebApplication _app;
    private int _ids;

    private FakeOpenAiServer(WebApplication app, Uri address, string apiKey)
    {
        _app = app;
        Address = address;
        ApiKey = apiKey;
    }

    public string ApiKey { get; }

    public Uri Address { get; }

    /// <summary>The <c>api_base</c> to configure: <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public string ApiBase => new Uri(Address, "/v1").ToString();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Chooses the reply for each valid request; default: <see cref="FakeReply.Default"/>.</summary>
    public Func<RecordedRequest, FakeReply> Handler { get; set; } = _ => FakeReply.Default;

    /// <summary>Model ids served by <c>GET /v1/models</c>.</summary>
    public List<string> Models { get; } = ["gpt-4o", "gpt-4o-mini", "gpt-5", "o3-mini", "text-embedding-3-small"];

    /// <summary>When set, <c>GET /v1/models</c> fails with 503 (an upstream that is down).</summary>
    public bool ModelsDown { get; set; }

    /// <summary>Requests whose connection the proxy closed before the answer was complete.</summary>
    public int AbortedRequests => _aborted;

    private int _aborted;

    /// <summary>Completes when the next client abort is seen.</summary>
    public TaskCompletionSource AbortSeen { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeOpenAiServer> StartAsync(string apiKey = "sk-upstream-secret-0123456789")
    {
        FakeOpenAiServer? server = null;
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/chat/completions", (HttpContext context) => server!.ChatAsync(context));
            app.MapGet("/v1/models", (HttpContext context) => server!.ModelsAsync(context));
            app.MapPost("/v1/embeddings", (HttpContext context) => server!.EmbeddingsAsync(context));
            app.MapPost("/v1/completions", (HttpContext context) => server!.CompletionsAsync(context));
            app.MapPost("/v1/responses", (HttpContext context) => server!.ResponsesAsync(context));
        });
        server = new FakeOpenAiServer(app, address, apiKey);
        return server;
    }

    public void ResetAbortSignal() => AbortSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task ModelsAsync(HttpContext context)
    {
        if (!await CheckKeyAsync(context)) return;
        if (ModelsDown)
        {
            await WriteErrorAsync(context, 503, "The server is overloaded.", "server_error", null);
            return;
        }
        var data = new JsonArray(Models.Select(m => (JsonNode)new JsonObject { ["id"] = m, ["object"] = "model", ["created"] = OpenAiWire.Created, ["owned_by"] = "openai" }).ToArray());
        await WriteJsonAsync(context, 200, new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString());
    }

    private Task ChatAsync(HttpContext context) =>
        HandleAsync(context, body => Validate(body) is { } p ? new Problem(p.Status, p.Message, p.Code) : null,
            (c, request) => ReplyAsync(c, request, Handler(request)));

    /// <summary>Records the request, checks the key, the content type and the body, then answers it with <paramref name="respond"/>.</summary>
    private async Task HandleAsync(HttpContext context, Func<string, Problem?> validate, Func<HttpContext, RecordedRequest, Task> respond)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body);
        Requests.Enqueue(recorded);
        if (!await CheckKeyAsync(context)) return;
        if (!context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) ?? true)
        {
            await WriteErrorAsync(context, 400, "Content-Type must be application/json.", "invalid_request_error", null);
            return;
        }
        if (validate(body) is { } problem)
        {
            await WriteErrorAsync(context, problem.Status, problem.Message, "invalid_request_error", problem.Code, problem.Param);
            return;
        }
        try
        {
            await respond(context, recorded);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionAbortedException)
        {
            Interlocked.Increment(ref _aborted);
            AbortSeen.TrySetResult();
        }
    }

    private async Task<bool> CheckKeyAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() == $"Bearer {ApiKey}") return true;
        await WriteErrorAsync(context, 401, $"Incorrect API key provided: {context.Request.Headers.Authorization}. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
        return false;
    }

    private static (int Status, string Message, string? Code)? Validate(string body)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return (400, "We could not parse the JSON body of your request.", null);
        }
        if (json["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String) return (400, "you must provide a model parameter", null);
        if (model.GetValue<string>() == "does-not-exist") return (404, "The model `does-not-exist` does not exist or you do not have access to it.", "model_not_found");
        if (json["messages"] is not JsonArray messages || messages.Count == 0) return (400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", "empty_array");
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message || message["role"]?.GetValue<string>() is not { } role || !Roles.Contains(role))
            {
                return (400, $"Invalid value for 'messages[{i}].role'.", "invalid_value");
            }
            if (role == "tool" && message["tool_call_id"] is null) return (400, $"Missing required parameter: 'messages[{i}].tool_call_id'.", "missing_required_parameter");
        }
        if (json["stream_options"] is not null && json["stream"]?.GetValue<bool>() != true)
        {
            return (400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", null);
        }
        return null;
    }

    private async Task ReplyAsync(HttpContext context, RecordedRequest request, FakeReply reply)
    {
        switch (reply)
        {
            case FakeReply.DefaultReply:
                await DefaultReplyAsync(context, request);
                break;
            case FakeReply.Raw raw:
                foreach (var (name, value) in raw.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
                context.Response.StatusCode = raw.Status;
                context.Response.ContentType = raw.ContentType;
                await context.Response.WriteAsync(raw.Body, context.RequestAborted);
                break;
            case FakeReply.Error error:
                foreach (var (name, value) in error.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
                await WriteErrorAsync(context, error.Status, error.Message, error.Type, error.Code);
                break;
            case FakeReply.Stream stream:
                await StreamAsync(context, stream);
                break;
            case FakeReply.Events events:
                await WriteEventsAsync(context, events.Payloads.Select(e => $"event: {e["type"]}\ndata: {e.ToJsonString()}\n\n").ToList(),
                    events.Delay, events.HangAfter, events.Resume, events.RawTail);
                break;
            case FakeReply.Output:
                throw new InvalidOperationException("FakeReply.Output answers POST /v1/responses only.");
            case FakeReply.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                break;
            case FakeReply.Reset:
                context.Abort();
                break;
            case FakeReply.Huge huge:
                var padding = new string('x', Math.Max(0, huge.Bytes - 400));
                await WriteJsonAsync(context, 200, OpenAiWire.Completion(NextId(), request.Model!, padding).ToJsonString());
                break;
        }
    }

    private async Task DefaultReplyAsync(HttpContext context, RecordedRequest request)
    {
        var json = request.Json;
        var model = request.Model!;
        var n = json["n"]?.GetValue<int>() ?? 1;
        var text = $"Hello from {model}!";
        if (!request.Stream)
        {
            await WriteJsonAsync(context, 200, OpenAiWire.Completion(NextId(), model, text, choiceCount: n,
                completionTokens: OpenAiWire.SplitWords(text).Count * n).ToJsonString());
            return;
        }
        var includeUsage = json["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        await StreamAsync(context, new FakeReply.Stream(OpenAiWire.TextStream(NextId(), model, text, includeUsage, n)));
    }

    private static Task StreamAsync(HttpContext context, FakeReply.Stream stream) =>
        WriteEventsAsync(context, stream.Payloads.Select(p => $"data: {p}\n\n").ToList(), stream.Delay, stream.HangAfter, stream.Resume,
            stream.RawTail + (stream.SendDone ? "data: [DONE]\n\n" : ""));

    /// <summary>Writes SSE frames one write and flush each, paced by <paramref name="delay"/>, stalled after <paramref name="hangAfter"/> frames.</summary>
    private static async Task WriteEventsAsync(HttpContext context, List<string> frames, TimeSpan delay, int? hangAfter, Task? resume, string? tail)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers["x-request-id"] = "req_upstream_stream";
        await response.StartAsync(context.RequestAborted);
        for (var i = 0; i < frames.Count; i++)
        {
            if (hangAfter == i) await StallAsync(resume, context.RequestAborted);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, context.RequestAborted);
            await response.WriteAsync(frames[i], context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
        if (hangAfter == frames.Count) await StallAsync(resume, context.RequestAborted);
        if (!string.IsNullOrEmpty(tail)) await response.WriteAsync(tail, context.RequestAborted);
    }

    private static Task StallAsync(Task? resume, CancellationToken aborted) =>
        resume is null ? Task.Delay(Timeout.Infinite, aborted) : resume.WaitAsync(aborted);

    private string NextId() => $"chatcmpl-fake{Interlocked.Increment(ref _ids):D6}";

    private static Task WriteErrorAsync(HttpContext context, int status, string message, string type, string? code, string? param = null) =>
        WriteJsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        }.ToJsonString());

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-request-id"] = "req_upstream_123";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
