using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using OaiProxy.Errors;
using OaiProxy.Benchmarks.Fixtures;
using OaiProxy.Providers.Anthropic;
using OaiProxy.Providers.Gemini;
using OaiProxy.Providers.OpenAi;
using OaiProxy.Streaming;

namespace OaiProxy.Benchmarks.Translation;

/// <summary>
/// 1,000 text deltas from a MemoryStream into OpenAI <c>chat.completion.chunk</c> payloads: the OpenAI relay (no
/// translation) as the baseline, then Anthropic's and Gemini's streams through their translators. Divide by 1,000
/// for the cost per event; the difference to the baseline is what translation adds.
/// </summary>
public class StreamTranslationBenchmarks
{
    private const int Events = 1_000;
    private byte[] _openAi = null!;
    private byte[] _anthropic = null!;
    private byte[] _gemini = null!;

    [GlobalSetup]
    public void Setup()
    {
        _openAi = SseFixtures.OpenAiStream(Events);
        _anthropic = SseFixtures.AnthropicStream(Events);
        _gemini = SseFixtures.GeminiStream(Events);
    }

    [Benchmark(Baseline = true, Description = "OpenAI relay: 1,000 chunks")]
    public async Task<int> OpenAi()
    {
        using var response = new HttpResponseMessage();
        return await DrainAsync(new OpenAiEventStream(response, new MemoryStream(_openAi, writable: false), "bench"));
    }

    [Benchmark(Description = "Anthropic -> OpenAI chunks: 1,000 deltas")]
    public Task<int> Anthropic() =>
        DrainAsync(new AnthropicTranslatingStream(null, new MemoryStream(_anthropic, writable: false), "bench", SecretScrubber.None, includeUsage: true, 1735689600, NullLogger.Instance));

    [Benchmark(Description = "Gemini -> OpenAI chunks: 1,000 parts")]
    public async Task<int> Gemini()
    {
        using var response = new HttpResponseMessage();
        return await DrainAsync(new GeminiTranslatingStream(response, new MemoryStream(_gemini, writable: false), "bench", SecretScrubber.None, "gemini-2.5-flash", includeUsage: true, 1735689600));
    }

    private static async Task<int> DrainAsync(UpstreamEventStream stream)
    {
        await using (stream)
        {
            var bytes = 0;
            while (await stream.ReadAsync(CancellationToken.None)) bytes += stream.Current.Length;
            if (stream.Error is not null) throw new InvalidOperationException($"The fixture stream failed: {stream.Error.Message}");
            return bytes;
        }
    }
}
