using OaiProxy.Testing.Gguf;
using Xunit.Abstractions;

namespace OaiProxy.Local.Tests;

public sealed class BenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Measure_TinyModel_ReportsTtftAndTokensPerSecond()
    {
        await using var sut = TestModels.Load(TinyReply.Lowercase);
        var request = TestModels.Chat("X", ""","max_tokens":200""");
        _ = await LocalBenchmark.MeasureAsync(sut, request); // warm-up: first context, JIT

        var result = await LocalBenchmark.MeasureAsync(sut, request);

        output.WriteLine($"tiny L2/E80: ttft {result.TimeToFirstToken.TotalMilliseconds:F1} ms, {result.TokensPerSecond:F0} tok/s overall, {result.DecodeTokensPerSecond:F0} tok/s decoding");
        Assert.Equal(new LocalUsage(21, 200), result.Usage);
        Assert.Equal(LocalFinishReasons.Length, result.FinishReason);
        Assert.True(result.TimeToFirstToken > TimeSpan.Zero && result.TimeToFirstToken <= result.Total);
        Assert.True(result.TokensPerSecond > 0);
    }
}
