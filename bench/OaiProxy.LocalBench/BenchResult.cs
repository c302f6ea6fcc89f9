using System.Globalization;

namespace OaiProxy.LocalBench;

/// <summary>One measured generation.</summary>
internal sealed record BenchResult(int CompletionTokens, TimeSpan TimeToFirstToken, TimeSpan Total)
{
    public double TokensPerSecond => CompletionTokens / Total.TotalSeconds;

    public double DecodeTokensPerSecond => Math.Max(CompletionTokens - 1, 0) / (Total - TimeToFirstToken).TotalSeconds;

    /// <summary>Median of each figure over the runs, as one report line.</summary>
    public static string Summary(string mode, IReadOnlyList<BenchResult> runs) => string.Create(CultureInfo.InvariantCulture,
        $"{mode,-14} {Median(runs, r => r.TokensPerSecond),10:F0} {Median(runs, r => r.DecodeTokensPerSecond),12:F0} " +
        $"{Median(runs, r => r.TimeToFirstToken.TotalMilliseconds),10:F2} {Median(runs, r => r.Total.TotalMilliseconds),10:F1} {runs[0].CompletionTokens,7}");

    public const string Header = "mode             tok/s    decode tok/s   TTFT ms   total ms  tokens";

    private static double Median(IReadOnlyList<BenchResult> runs, Func<BenchResult, double> figure)
    {
        var sorted = runs.Select(figure).Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
