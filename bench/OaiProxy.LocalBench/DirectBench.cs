using System.Text.Json;
using OaiProxy.Local;

namespace OaiProxy.LocalBench;

/// <summary>The engine alone: <see cref="LocalBenchmark"/> on a loaded model.</summary>
internal static class DirectBench
{
    public static async Task<BenchResult> RunAsync(LocalModel model, int tokens)
    {
        using var body = JsonDocument.Parse($$"""{"messages":[{"role":"user","content":"X"}],"temperature":0,"max_tokens":{{tokens}}}""");
        var result = await LocalBenchmark.MeasureAsync(model, LocalChatRequest.FromOpenAi(body.RootElement));
        return new BenchResult(result.Usage.CompletionTokens, result.TimeToFirstToken, result.Total);
    }
}
