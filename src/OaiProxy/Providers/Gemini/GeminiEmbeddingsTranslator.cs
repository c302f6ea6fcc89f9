using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using OaiProxy.Usage;
using OaiProxy.Wire;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// OpenAI embeddings to Gemini's <c>batchEmbedContents</c> and back: <c>dimensions</c> becomes
/// <c>outputDimensionality</c>; vectors come back as float arrays or, for <c>encoding_format: "base64"</c>, as
/// base64 of little-endian float32 (what the official SDKs request by default). Gemini reports no usage, so the
/// prompt tokens are estimated with <see cref="TokenEstimator"/>.
/// </summary>
internal static class GeminiEmbeddingsTranslator
{
    public static byte[] ToBatchRequest(string modelResource, IReadOnlyList<string> texts, int? dimensions)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("requests"u8);
            foreach (var text in texts)
            {
                writer.WriteStartObject();
                writer.WriteString("model"u8, modelResource);
                writer.WriteStartObject("content"u8);
                writer.WriteStartArray("parts"u8);
                writer.WriteStartObject();
                writer.WriteString("text"u8, text);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                if (dimensions is { } d) writer.WriteNumber("outputDimensionality"u8, d);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The OpenAI embeddings list, or null when the answer does not hold one vector per input.</summary>
    public static byte[]? FromBatchResponse(byte[] json, string model, IReadOnlyList<string> texts, bool base64, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("embeddings", out var embeddings) || embeddings.ValueKind != JsonValueKind.Array ||
            embeddings.GetArrayLength() != texts.Count)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(json.Length);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "list");
            writer.WriteStartArray("data"u8);
            var index = 0;
            foreach (var embedding in embeddings.EnumerateArray())
            {
                if (!embedding.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Array) return null;
                writer.WriteStartObject();
                writer.WriteString("object"u8, "embedding");
                writer.WriteNumber("index"u8, index++);
                writer.WritePropertyName("embedding"u8);
                if (base64) writer.WriteStringValue(ToBase64(values));
                else values.WriteTo(writer);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteString("model"u8, model);
            var tally = new TokenTally(cancellationToken);
            foreach (var text in texts) tally.Add(text);
            var tokens = tally.Total;
            writer.WriteStartObject("usage"u8);
            writer.WriteNumber("prompt_tokens"u8, tokens);
            writer.WriteNumber("total_tokens"u8, tokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Base64 of the values as little-endian float32, the layout OpenAI's <c>base64</c> encoding uses.</summary>
    public static string ToBase64(JsonElement values)
    {
        var bytes = new byte[values.GetArrayLength() * sizeof(float)];
        var offset = 0;
        foreach (var value in values.EnumerateArray())
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), value.GetSingle());
            offset += sizeof(float);
        }
        return Convert.ToBase64String(bytes);
    }
}
