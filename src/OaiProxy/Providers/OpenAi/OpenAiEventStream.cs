using System.Text.Json;
using OaiProxy.Streaming;
using OaiProxy.Usage;

namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// Relays an OpenAI-compatible upstream stream: each <c>data:</c> payload is a chunk as-is; <c>[DONE]</c> is the
/// clean end; an error payload, a cut connection or an oversized event ends it with an error. When the proxy asked
/// for usage the client did not ask for, <paramref name="usage"/> keeps the stream as the client asked for it.
/// </summary>
internal sealed class OpenAiEventStream(HttpResponseMessage response, Stream body, string connection, UsageChunkFilter? usage = null)
    : SseEventStream(response, body, connection)
{
    public override UsageInfo? Usage => usage?.Usage;

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Error is not null) return false;
            if (!await NextEventAsync(cancellationToken))
            {
                return Error is null ? Fail("The upstream stream ended before its end marker; the response is incomplete.") : false;
            }
            var data = Reader.Data;
            if (data.Span.SequenceEqual(SseFraming.Done)) return false;
            if (data.Span.StartsWith("{\"error\""u8) || (data.Length > 0 && data.Span[0] != (byte)'{'))
            {
                return Fail(DescribeBadEvent(data.Span));
            }
            if (usage is not null && !usage.TryFilter(data, out data)) continue;
            Current = data;
            return true;
        }
    }

    private static string DescribeBadEvent(ReadOnlySpan<byte> data)
    {
        try
        {
            using var doc = JsonDocument.Parse(data.ToArray());
            if (doc.RootElement.TryGetProperty("error", out var error))
            {
                var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.ToString() : error.ToString();
                return $"The upstream reported an error mid-stream: {message}";
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: described below.
        }
        return "The upstream sent a stream event that is not a JSON chunk.";
    }
}
