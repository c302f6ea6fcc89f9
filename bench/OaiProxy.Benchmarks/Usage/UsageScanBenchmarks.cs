using BenchmarkDotNet.Attributes;
using OaiProxy.Benchmarks.Fixtures;
using OaiProxy.Usage;

namespace OaiProxy.Benchmarks.Usage;

/// <summary>Reading <c>usage</c> for the log: from a completion, and the per-chunk pre-check that spares most stream chunks.</summary>
public class UsageScanBenchmarks
{
    private static readonly byte[] Chunk = System.Text.Encoding.UTF8.GetBytes(SseFixtures.OpenAiChunk);
    private static readonly byte[] UsageChunk = System.Text.Encoding.UTF8.GetBytes(SseFixtures.OpenAiUsageChunk);

    [Benchmark(Baseline = true, Description = "UsageReader.TryRead: completion")]
    public UsageInfo? Completion() => UsageReader.TryRead(ChatBodies.Completion);

    [Benchmark(Description = "UsageReader.TryRead: usage chunk")]
    public UsageInfo? FinalChunk() => UsageReader.TryRead(UsageChunk);

    [Benchmark(Description = "UsageReader.MayContainUsage: content chunk")]
    public bool PreCheck() => UsageReader.MayContainUsage(Chunk);
}
