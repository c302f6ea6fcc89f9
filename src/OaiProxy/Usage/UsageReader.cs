using System.Text.Json;

namespace OaiProxy.Usage;

/// <summary>Reads the top-level <c>usage</c> object of an OpenAI response or chunk without building a tree.</summary>
internal static class UsageReader
{
    /// <summary>Cheap pre-check so most stream chunks are never parsed.</summary>
    /// <summary>
    /// Whether <paramref name="json"/> may hold a usage object, so a chunk without one costs a search, not a parse. The
    /// <c>"usage": null</c> that OpenAI puts on every chunk of an <c>include_usage</c> stream does not count.
    /// </summary>
    public static bool MayContainUsage(ReadOnlySpan<byte> json)
    {
        while (json.IndexOf("\"usage\""u8) is var at and >= 0)
        {
            json = json[(at + 7)..];
            var value = json.TrimStart(" \t\r\n"u8);
            if (value.IsEmpty || value[0] != (byte)':') continue;
            value = value[1..].TrimStart(" \t\r\n"u8);
            if (!value.StartsWith("null"u8)) return true;
        }
        return false;
    }

    public static UsageInfo? TryRead(ReadOnlySpan<byte> json)
    {
        Scan(json, untilUsage: true, out var usage);
        return usage;
    }

    /// <summary>
    /// Whether <paramref name="json"/> is exactly one JSON object, and its top-level usage if it has one: the check a
    /// proxied JSON answer needs and the usage it is logged with, in one pass over the body instead of two.
    /// </summary>
    public static bool TryReadObject(ReadOnlySpan<byte> json, out UsageInfo? usage) => Scan(json, untilUsage: false, out usage);

    private static bool Scan(ReadOnlySpan<byte> json, bool untilUsage, out UsageInfo? usage)
    {
        usage = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = usage is null && reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    usage = ReadUsage(ref reader);
                    if (untilUsage) return true;
                }
                else
                {
                    reader.Skip();
                }
            }
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            // A malformed upstream body has no usable usage; the caller reports the body itself.
            usage = null;
            return false;
        }
    }

    /// <summary>Reads a usage object; the reader is on its start and ends on its end.</summary>
    internal static UsageInfo ReadUsage(ref Utf8JsonReader reader)
    {
        long prompt = 0, completion = 0, total = -1, cached = 0, reasoning = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8)) prompt = ReadLong(ref reader);
            else if (reader.ValueTextEquals("completion_tokens"u8)) completion = ReadLong(ref reader);
            else if (reader.ValueTextEquals("total_tokens"u8)) total = ReadLong(ref reader);
            else if (reader.ValueTextEquals("prompt_tokens_details"u8)) cached = ReadDetail(ref reader, "cached_tokens"u8);
            else if (reader.ValueTextEquals("completion_tokens_details"u8)) reasoning = ReadDetail(ref reader, "reasoning_tokens"u8);
            else { reader.Read(); reader.Skip(); }
        }
        return new UsageInfo(prompt, completion, total < 0 ? prompt + completion : total)
        {
            CachedTokens = cached,
            ReasoningTokens = reasoning,
        };
    }

    private static long ReadLong(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : 0;
    }

    private static long ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }
        long result = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name)) result = ReadLong(ref reader);
            else { reader.Read(); reader.Skip(); }
        }
        return result;
    }
}
