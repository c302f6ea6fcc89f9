using System.Buffers;
using System.Text.Json;

namespace OaiProxy.Storage.Usage;

/// <summary>The spool's line format: one compact JSON object per record, field names as the table's columns.</summary>
internal static class UsageRecordJson
{
    public static void Write(IBufferWriter<byte> output, UsageRecord r)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        w.WriteNumber("created_at", r.CreatedAt);
        w.WriteString("key_id", r.KeyId);
        w.WriteString("key_group", r.Group);
        w.WriteString("connection", r.Connection);
        w.WriteString("model", r.Model);
        w.WriteString("upstream_model", r.UpstreamModel);
        w.WriteString("endpoint", r.Endpoint);
        w.WriteNumber("status", r.Status);
        w.WriteNumber("prompt_tokens", r.PromptTokens);
        w.WriteNumber("completion_tokens", r.CompletionTokens);
        w.WriteNumber("cached_tokens", r.CachedTokens);
        w.WriteNumber("reasoning_tokens", r.ReasoningTokens);
        w.WriteNumber("cost_nanos", r.CostNanos);
        if (r.LatencyMs is { } latency) w.WriteNumber("latency_ms", latency);
        if (r.TtftMs is { } ttft) w.WriteNumber("ttft_ms", ttft);
        w.WriteBoolean("stream", r.Stream);
        w.WriteBoolean("client_aborted", r.ClientAborted);
        w.WriteEndObject();
    }

    /// <summary>The record of one line; null for a line that is not a whole record (a write cut by a crash).</summary>
    public static UsageRecord? TryRead(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            return new UsageRecord
            {
                Id = e.GetProperty("id").GetString()!,
                CreatedAt = e.GetProperty("created_at").GetInt64(),
                KeyId = Str(e, "key_id"),
                Group = Str(e, "key_group"),
                Connection = Str(e, "connection"),
                Model = Str(e, "model"),
                UpstreamModel = Str(e, "upstream_model"),
                Endpoint = UsageRecord.KnownEndpoint(Str(e, "endpoint")), // absent from lines spooled before the column
                Status = e.GetProperty("status").GetInt32(),
                PromptTokens = e.GetProperty("prompt_tokens").GetInt64(),
                CompletionTokens = e.GetProperty("completion_tokens").GetInt64(),
                CachedTokens = e.GetProperty("cached_tokens").GetInt64(),
                ReasoningTokens = e.GetProperty("reasoning_tokens").GetInt64(),
                CostNanos = e.GetProperty("cost_nanos").GetInt64(),
                LatencyMs = e.TryGetProperty("latency_ms", out var l) ? l.GetInt64() : null,
                TtftMs = e.TryGetProperty("ttft_ms", out var t) ? t.GetInt64() : null,
                Stream = e.GetProperty("stream").GetBoolean(),
                ClientAborted = e.GetProperty("client_aborted").GetBoolean(),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
