using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Usage;

namespace OaiProxy.Tests.Logging;

public sealed class JsonLogWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("oaiproxy-jsonlog-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static RequestLogEntry Entry() => new()
    {
        Id = "req_1",
        CreatedAt = new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero),
        // A pretty-printed body with an escaped character and non-ASCII text: must come out minified, on one line.
        RequestBody = Encoding.UTF8.GetBytes("{\n  \"model\": \"gpt-4o\",\n  \"messages\": [{\"role\": \"user\", \"content\": \"Grüße <b> \\\"x\\\"\"}]\n}"),
        ResponseBody = "upstream said: not json"u8.ToArray(),
        Error = new ProxyError(502, "upstream_error", "bad_gateway", "Bad gateway"),
        Group = "default",
        Connection = "up",
        Model = "gpt-4o",
        UpstreamModel = "gpt-4o-2024",
        ApiKeyId = "k1",
        RemoteAddr = "127.0.0.1",
        UserInfo = new JsonObject { ["team"] = "a" },
        Status = 502,
        Attempts = 2,
        Duration = TimeSpan.FromMilliseconds(1500),
        Usage = new UsageInfo(3, 4, 7) { CachedTokens = 1 },
    };

    // The exact line, as the tree-based writer produced it before the direct path existed.
    private const string ExpectedLine = """
        {"id":"req_1","request":{"model":"gpt-4o","messages":[{"role":"user","content":"Gr\u00FC\u00DFe \u003Cb\u003E \u0022x\u0022"}]},"response":"upstream said: not json","error":{"message":"Bad gateway","type":"upstream_error","code":"bad_gateway","status":502},"operation":"chat.completions","group":"default","connection":"up","model":"gpt-4o","upstream_model":"gpt-4o-2024","api_key_id":"k1","remote_addr":"127.0.0.1","created_at":"2026-12-06T05:00:00.0000000\u002B00:00","duration":1.5,"user_info":{"team":"a"},"status":502,"stream":false,"client_aborted":false,"attempts":2,"time_to_first_token":null,"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7,"cached_tokens":1,"reasoning_tokens":0}}
        """;

    [Fact]
    public async Task UntransformedEntries_AreWrittenWithoutATree_OneMinifiedLineEach()
    {
        var path = Path.Combine(_directory, "log.jsonl");
        await using (var writer = new JsonLogWriter(path))
        {
            var logger = new BaseLogger(writer, transformer: null);
            await logger.LogAsync(Entry(), CancellationToken.None);
            await logger.LogAsync(new RequestLogEntry { Id = "req_2" }, CancellationToken.None);
        }
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(2, lines.Length);
        Assert.Equal(ExpectedLine, lines[0]);
        Assert.Equal("req_2", JsonNode.Parse(lines[1])!["id"]!.GetValue<string>());
        Assert.Null(JsonNode.Parse(lines[1])!["request"]);
    }

    [Fact]
    public async Task TreeAndDirectPaths_WriteTheSameLine()
    {
        var path = Path.Combine(_directory, "tree.jsonl");
        await using (var writer = new JsonLogWriter(path))
        {
            await writer.WriteAsync(LogEntryJson.ToJson(Entry()), CancellationToken.None);
        }
        Assert.Equal(ExpectedLine, (await File.ReadAllLinesAsync(path)).Single());
    }

    [Fact]
    public async Task TransformedEntries_StillSeeTheWholeEntry()
    {
        var path = Path.Combine(_directory, "mapped.jsonl");
        await using (var writer = new JsonLogWriter(path))
        {
            var transformer = new LogEntryTransformer([new("who", "user_info.team"), new("text", "request.messages.0.content"), new("tokens", "usage.total_tokens")]);
            await new BaseLogger(writer, transformer).LogAsync(Entry(), CancellationToken.None);
        }
        Assert.Equal("""{"who":"a","text":"Gr\u00FC\u00DFe \u003Cb\u003E \u0022x\u0022","tokens":7}""", (await File.ReadAllLinesAsync(path)).Single());
    }
}
