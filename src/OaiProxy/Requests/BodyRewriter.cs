using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Requests;

/// <summary>
/// Builds the upstream body of a pass-through request by splicing bytes, never re-serialising: the model name is
/// replaced in place and default fields the client did not send are appended before the closing brace.
/// </summary>
internal static class BodyRewriter
{
    /// <summary>
    /// The one way a connection's <c>default_args</c> apply, for every provider: the fields the client did not send
    /// are appended, and the result is a body like the client's (the same as <paramref name="request"/> when none is missing).
    /// </summary>
    public static RequestBody WithDefaults(RequestBody request, JsonObject? defaultArgs)
    {
        var fields = request.Fields;
        if (defaultArgs is null || defaultArgs.All(field => fields.TopLevelKeys.Contains(field.Key))) return request;
        var body = Rewrite(request, request.Model, defaultArgs);
        var keys = new HashSet<string>(fields.TopLevelKeys, StringComparer.Ordinal);
        foreach (var (key, _) in defaultArgs) keys.Add(key);
        return new RequestBody(body, new RequestBodyFields
        {
            Model = fields.Model,
            ModelToken = fields.ModelToken,
            ObjectEnd = body.Length - (request.Body.Length - fields.ObjectEnd),
            Stream = fields.Stream,
            // A connection whose default_args ask for usage makes it part of the stream its clients get.
            IncludeUsage = fields.IncludeUsage || (fields.Stream && !fields.TopLevelKeys.Contains("stream_options")
                && defaultArgs["stream_options"]?["include_usage"] is JsonValue asked && asked.GetValueKind() == JsonValueKind.True),
            MessageCount = fields.MessageCount,
            TopLevelKeys = keys,
        });
    }

    public static byte[] Rewrite(RequestBody request, string upstreamModel, JsonObject? defaultArgs)
    {
        var body = request.Body.Span;
        var fields = request.Fields;
        var (modelStart, modelLength) = fields.ModelToken.GetOffsetAndLength(body.Length);
        var sameModel = upstreamModel == fields.Model;
        if (defaultArgs is null) return SpliceModel(body, fields, sameModel ? null : upstreamModel);
        var writer = new ArrayBufferWriter<byte>(body.Length + upstreamModel.Length + 16);
        if (sameModel)
        {
            writer.Write(body[..fields.ObjectEnd]);
        }
        else
        {
            writer.Write(body[..modelStart]);
            WriteJsonString(writer, upstreamModel);
            writer.Write(body[(modelStart + modelLength)..fields.ObjectEnd]);
        }
        if (defaultArgs is not null)
        {
            var first = fields.TopLevelKeys.Count == 0;
            foreach (var (key, value) in defaultArgs)
            {
                if (fields.TopLevelKeys.Contains(key)) continue;
                if (!first) writer.Write(","u8);
                first = false;
                WriteJsonString(writer, key);
                writer.Write(":"u8);
                writer.Write(JsonSerializer.SerializeToUtf8Bytes(value, ProxyJsonContext.Default.JsonNode));
            }
        }
        writer.Write(body[fields.ObjectEnd..]);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The pass-through case: one array of the exact size, no intermediate buffer.</summary>
    private static byte[] SpliceModel(ReadOnlySpan<byte> body, RequestBodyFields fields, string? upstreamModel)
    {
        if (upstreamModel is null) return body.ToArray();
        var (modelStart, modelLength) = fields.ModelToken.GetOffsetAndLength(body.Length);
        var encoded = JsonEncodedText.Encode(upstreamModel).EncodedUtf8Bytes;
        var result = new byte[body.Length - modelLength + encoded.Length + 2];
        var span = result.AsSpan();
        body[..modelStart].CopyTo(span);
        span = span[modelStart..];
        span[0] = (byte)'"';
        encoded.CopyTo(span[1..]);
        span[encoded.Length + 1] = (byte)'"';
        body[(modelStart + modelLength)..].CopyTo(span[(encoded.Length + 2)..]);
        return result;
    }

    private static void WriteJsonString(ArrayBufferWriter<byte> writer, string value)
    {
        writer.Write("\""u8);
        writer.Write(JsonEncodedText.Encode(value).EncodedUtf8Bytes);
        writer.Write("\""u8);
    }
}
