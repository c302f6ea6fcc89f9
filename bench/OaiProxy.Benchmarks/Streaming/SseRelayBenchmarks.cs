using System.Buffers;
using BenchmarkDotNet.Attributes;
using OaiProxy.Benchmarks.Fixtures;
using OaiProxy.Providers.OpenAi;
using OaiProxy.Streaming;
using OaiProxy.Usage;

namespace OaiProxy.Benchmarks.Streaming;

/// <summary>
/// 1,000 OpenAI chunks from a MemoryStream: the SSE parser alone, and the whole relay minus the sockets (parse,
/// check, usage pre-check, re-frame as <c>data: ...\n\n</c>). Divide by 1,000 for the cost per event.
/// </summary>
public class SseRelayBenchmarks
{
    private const int Events = 1_000;
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private byte[] _body = null!;

    [GlobalSetup]
    public void Setup() => _body = SseFixtures.OpenAiStream(Events);

    [Benchmark(Baseline = true, Description = "SseReader: 1,000 events")]
    public async Task<int> Parse()
    {
        using var reader = new SseReader(new MemoryStream(_body, writable: false));
        var count = 0;
        while (await reader.ReadAsync(CancellationToken.None)) count += reader.Data.Length;
        return count;
    }

    [Benchmark(Description = "OpenAI relay: 1,000 events")]
    public async Task<int> Relay()
    {
        _output.ResetWrittenCount();
        using var response = new HttpResponseMessage();
        await using var stream = new OpenAiEventStream(response, new MemoryStream(_body, writable: false), "bench");
        var usage = 0;
        while (await stream.ReadAsync(CancellationToken.None))
        {
            var chunk = stream.Current.Span;
            if (UsageReader.MayContainUsage(chunk) && UsageReader.TryRead(chunk) is not null) usage++;
            _output.Write(DataPrefix);
            _output.Write(chunk);
            _output.Write(EventEnd);
        }
        return _output.WrittenCount + usage;
    }
}
