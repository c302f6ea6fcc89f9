using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Tests.Pipeline.Fakes;

namespace OaiProxy.Tests.Pipeline;

/// <summary>A request's whole lifetime through the real services, in-process: what the writer is asked to write, and what is logged.</summary>
public sealed class RequestPipelineTests : IAsyncLifetime, IDisposable
{
    private const string StreamBody = """{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    private readonly ScriptedProvider _provider = new();
    private readonly RecordingAnswerWriter _writer = new();
    private readonly CancellationTokenSource _guard = HangGuard.Start();
    private readonly CancellationTokenSource _client = new();
    private PipelineHost _host = null!;

    public async Task InitializeAsync()
    {
        var config = new JsonObject
        {
            ["max_request_size_mb"] = 0.001,
            ["connections"] = new JsonObject { ["a"] = new JsonObject { ["api_type"] = FakeProviderFactory.ApiType, ["max_retries"] = 0 } },
            ["routing"] = new JsonObject { ["*"] = "a.*" },
        };
        _host = await PipelineHost.StartAsync(config, new Dictionary<string, IProvider> { ["a"] = _provider });
    }

    private Task RunAsync(string body = StreamBody) => _host.RunChatAsync(body, _writer, _client.Token).WaitAsync(_guard.Token);

    [Fact]
    public async Task RunAsync_StreamedAnswer_WritesStartEventsEndAndFlushesWhenNothingIsBuffered()
    {
        var stream = new ControlledEventStream().Send("""{"n":1}""");
        _provider.ThenStream(stream);
        _writer.OnFlush = flush =>
        {
            if (flush == 1) stream.Send("""{"n":2}""").Send("""{"n":3}""");
            else if (flush == 2) stream.End();
        };

        await RunAsync();

        Assert.Equal(
            ["prepare", "start", """event {"n":1}""", "flush", """event {"n":2}""", """event {"n":3}""", "flush", "end", "flush"],
            _writer.Calls);
        Assert.True(stream.Disposed);
        var entry = Assert.Single(await _host.LoggedAsync(_guard.Token));
        Assert.Equal(200, entry.Status);
        Assert.True(entry.Stream);
        Assert.False(entry.ClientAborted);
    }

    [Fact]
    public async Task RunAsync_UpstreamErrorAfterFirstEvent_WritesStreamErrorAndNeverAnEnd()
    {
        _provider.ThenStream(new ControlledEventStream().Send("""{"n":1}""").FailWith(UpstreamErrors.Interrupted()));

        await RunAsync();

        Assert.Equal(["prepare", "start", """event {"n":1}""", $"stream-error {ErrorCodes.StreamInterrupted}", "flush"], _writer.Calls);
        Assert.DoesNotContain("end", _writer.Calls);
        var entry = Assert.Single(await _host.LoggedAsync(_guard.Token));
        Assert.Equal(ErrorCodes.StreamInterrupted, entry.Error?.Code);
    }

    private static string LargeBody() => $$"""{"model":"m","messages":[{"role":"user","content":"{{new string('x', 2000)}}"}]}""";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_HttpBodyOverMaxRequestSize_Writes413ThroughWriteError(bool sendsContentLength)
    {
        var body = Encoding.UTF8.GetBytes(LargeBody());
        var http = new DefaultHttpContext();
        http.Request.Body = new MemoryStream(body);
        if (sendsContentLength) http.Request.ContentLength = body.Length;

        await _host.RunChatAsync(InboundRequest.FromHttp(http), _writer, _client.Token).WaitAsync(_guard.Token);

        Assert.Equal(["prepare", $"error 413 {ErrorCodes.BodyTooLarge}"], _writer.Calls);
        Assert.Equal(0, _provider.Calls);
        var entry = Assert.Single(await _host.LoggedAsync(_guard.Token));
        Assert.Equal(413, entry.Status);
    }

    [Fact]
    public async Task RunAsync_InProcessBodyOverMaxRequestSize_Writes413ThroughWriteError()
    {
        await RunAsync(LargeBody());

        Assert.Equal(["prepare", $"error 413 {ErrorCodes.BodyTooLarge}"], _writer.Calls);
        Assert.Equal(0, _provider.Calls);
    }

    [Fact]
    public async Task RunAsync_WholeAnswer_WritesJson()
    {
        _provider.ThenAnswer();

        await RunAsync("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(["prepare", "json"], _writer.Calls);
        Assert.Equal(200, Assert.Single(await _host.LoggedAsync(_guard.Token)).Status);
    }

    [Fact]
    public async Task RunAsync_ClientCancelsMidStream_LogsClientAborted499AndStillQueuesTheEntry()
    {
        var stream = new ControlledEventStream().Send("""{"n":1}""");
        _provider.ThenStream(stream);
        _writer.OnFlush = _ => _client.Cancel();

        await RunAsync();

        Assert.Equal(["prepare", "start", """event {"n":1}""", "flush"], _writer.Calls);
        Assert.True(stream.Disposed);
        Assert.Equal(0, _host.Health.Get("a").InFlight);
        var entry = Assert.Single(await _host.LoggedAsync(_guard.Token));
        Assert.True(entry.ClientAborted);
        Assert.Equal(499, entry.Status);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose()
    {
        _guard.Dispose();
        _client.Dispose();
    }
}
