using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OaiProxy.LocalBench;

/// <summary>
/// The same generation through the real proxy over loopback HTTP: a streamed request, timed to the first content
/// delta and to <c>[DONE]</c>; the token count comes from the usage chunk.
/// </summary>
internal static class ProxyBench
{
    public static async Task<BenchResult> RunAsync(HttpClient http, int tokens)
    {
        var body = $$"""{"model":"tiny","stream":true,"stream_options":{"include_usage":true},"temperature":0,"max_tokens":{{tokens}},"messages":[{"role":"user","content":"X"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        TimeSpan? first = null;
        var completionTokens = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                break;
            }

            using var chunk = JsonDocument.Parse(data);
            var root = chunk.RootElement;
            if (first is null && root.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString() is { Length: > 0 })
            {
                first = Stopwatch.GetElapsedTime(start);
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                completionTokens = usage.GetProperty("completion_tokens").GetInt32();
            }
        }

        var total = Stopwatch.GetElapsedTime(start);
        return new BenchResult(completionTokens, first ?? total, total);
    }
}
