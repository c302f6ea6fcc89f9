namespace OaiProxy.Local;

/// <summary>Timing of one generation, as measured by <see cref="LocalBenchmark"/>.</summary>
/// <param name="Usage">Prompt and completion token counts.</param>
/// <param name="FinishReason">"stop" or "length".</param>
/// <param name="TimeToFirstToken">From the call to the first text chunk (queueing and prompt processing included).</param>
/// <param name="Total">From the call to the final chunk.</param>
public sealed record LocalBenchmarkResult(LocalUsage Usage, string FinishReason, TimeSpan TimeToFirstToken, TimeSpan Total)
{
    /// <summary>Completion tokens per second over the whole call.</summary>
    public double TokensPerSecond => Usage.CompletionTokens / Math.Max(Total.TotalSeconds, 1e-9);

    /// <summary>Completion tokens per second after the first one: the pure decoding rate.</summary>
    public double DecodeTokensPerSecond =>
        Math.Max(Usage.CompletionTokens - 1, 0) / Math.Max((Total - TimeToFirstToken).TotalSeconds, 1e-9);
}
