using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Logging;

/// <summary>The JSON form of a log entry: what a writer stores untransformed and what transformer paths address.</summary>
internal static class LogEntryJson
{
    /// <summary>The entry as a tree, for transformers and custom writers.</summary>
    public static JsonObject ToJson(RequestLogEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer)) WriteTo(writer, entry);
        return (JsonObject)JsonNode.Parse(buffer.WrittenSpan)!;
    }

    /// <summary>
    /// Writes the entry straight to JSON, bodies copied token by token from their bytes: the untransformed log path
    /// builds no tree (that was most of the governed path's extra CPU per request).
    /// </summary>
    public static void WriteTo(Utf8JsonWriter writer, RequestLogEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("id", entry.Id);
        writer.WritePropertyName("request");
        WriteBody(writer, entry.Request, entry.RequestBody);
        writer.WritePropertyName("response");
        WriteBody(writer, entry.Response, entry.ResponseBody);
        writer.WritePropertyName("error");
        if (entry.Error is { } error)
        {
            writer.WriteStartObject();
            writer.WriteString("message", error.Message);
            writer.WriteString("type", error.Type);
            writer.WriteString("code", error.Code);
            writer.WriteNumber("status", error.Status);
            writer.WriteEndObject();
        }
        else writer.WriteNullValue();
        writer.WriteString("operation", entry.Operation);
        writer.WriteString("group", entry.Group);
        writer.WriteString("connection", entry.Connection);
        writer.WriteString("model", entry.Model);
        writer.WriteString("upstream_model", entry.UpstreamModel);
        writer.WriteString("api_key_id", entry.ApiKeyId);
        writer.WriteString("remote_addr", entry.RemoteAddr);
        writer.WriteString("created_at", entry.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        WriteSeconds(writer, "duration", entry.Duration);
        writer.WritePropertyName("user_info");
        if (entry.UserInfo is { } userInfo) userInfo.WriteTo(writer);
        else writer.WriteNullValue();
        writer.WriteNumber("status", entry.Status);
        writer.WriteBoolean("stream", entry.Stream);
        writer.WriteBoolean("client_aborted", entry.ClientAborted);
        writer.WriteNumber("attempts", entry.Attempts);
        WriteSeconds(writer, "time_to_first_token", entry.TimeToFirstToken);
        writer.WritePropertyName("usage");
        if (entry.Usage is { } usage)
        {
            writer.WriteStartObject();
            writer.WriteNumber("prompt_tokens", usage.PromptTokens);
            writer.WriteNumber("completion_tokens", usage.CompletionTokens);
            writer.WriteNumber("total_tokens", usage.TotalTokens);
            writer.WriteNumber("cached_tokens", usage.CachedTokens);
            writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
            writer.WriteEndObject();
        }
        else writer.WriteNullValue();
        writer.WriteEndObject();
    }

    private static void WriteSeconds(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is { } time) writer.WriteNumber(name, time.TotalSeconds);
        else writer.WriteNull(name);
    }

    /// <summary>A body as JSON when it is JSON (minified, so one entry stays one line), else as a string.</summary>
    private static void WriteBody(Utf8JsonWriter writer, JsonNode? tree, ReadOnlyMemory<byte> body)
    {
        if (tree is not null)
        {
            tree.WriteTo(writer);
            return;
        }
        if (body.IsEmpty)
        {
            writer.WriteNullValue();
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(System.Text.Encoding.UTF8.GetString(body.Span));
        }
    }
}
