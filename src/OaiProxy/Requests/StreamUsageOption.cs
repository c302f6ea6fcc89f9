using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Requests;

/// <summary>
/// Asks an OpenAI-compatible upstream for the usage of a stream the client did not ask it for
/// (<c>stream_options.include_usage = true</c>), so the limits and the usage records see real tokens, hidden
/// reasoning included. The body is spliced, never re-serialised: the option is appended before the closing brace, or
/// the client's own <c>stream_options</c> object (small) is rewritten in place with its other fields kept.
/// </summary>
internal static class StreamUsageOption
{
    private static readonly byte[] Appended = ""","stream_options":{"include_usage":true}"""u8.ToArray();

    public static byte[] Add(byte[] body)
    {
        var (start, end) = FindStreamOptions(body);
        if (start < 0) return Append(body);
        var options = body.AsSpan(start, end - start);
        var rewritten = (options[0] == (byte)'{' ? JsonNode.Parse(options) as JsonObject : null) ?? [];
        rewritten["include_usage"] = true;
        var value = JsonSerializer.SerializeToUtf8Bytes(rewritten, ProxyJsonContext.Default.JsonObject);
        return [.. body.AsSpan(0, start), .. value, .. body.AsSpan(end)];
    }

    /// <summary>The byte range of the top-level <c>stream_options</c> value (the last one, as parsers keep it); -1 without one.</summary>
    private static (int Start, int End) FindStreamOptions(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        (int, int) found = (-1, -1);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isOptions = reader.ValueTextEquals("stream_options"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (isOptions) found = (start, (int)reader.BytesConsumed);
        }
        return found;
    }

    private static byte[] Append(byte[] body)
    {
        var close = body.AsSpan().LastIndexOf((byte)'}');
        var empty = body.AsSpan(0, close).TrimEnd(" \t\r\n"u8) is [.., (byte)'{'];
        var added = empty ? Appended.AsSpan(1) : Appended;
        return [.. body.AsSpan(0, close), .. added, .. body.AsSpan(close)];
    }
}
