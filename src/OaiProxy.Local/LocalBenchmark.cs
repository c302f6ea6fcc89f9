using System.Diagnostics;

namespace OaiProxy.Local;

/// <summary>Measures time to first token and tokens per second of one generation (for benchmarks and smoke checks).</summary>
public static class LocalBenchmark
{
    /// <summary>Runs <paramref name="request"/> to the end and times it.</summary>
    public static async Task<LocalBenchmarkResult> MeasureAsync(
        LocalModel model, LocalChatRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var start = Stopwatch.GetTimestamp();
        TimeSpan? first = null;
        await foreach (var chunk in model.GenerateAsync(request, ct))
        {
            first ??= Stopwatch.GetElapsedTime(start);
            if (chunk.IsFinal)
            {
                return new LocalBenchmarkResult(chunk.Usage!, chunk.FinishReason!, first.Value, Stopwatch.GetElapsedTime(start));
            }
        }

        throw new InvalidOperationException("The generation ended without a final chunk.");
    }
}
