using System.Text.Json;
using OaiProxy.Usage;

namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// Gives the client back the stream it asked for when the proxy asked the upstream for usage on its behalf
/// (<see cref="Requests.StreamUsageOption"/>): the <c>"usage":null</c> OpenAI then puts on every chunk is cut out,
/// and the final usage-only chunk (empty <c>choices</c>) is kept for the accounting instead of relayed. A chunk with
/// choices and a real usage (servers that always send one) is relayed as it is. Chunks without the word "usage"
/// cost one search.
/// </summary>
internal sealed class UsageChunkFilter
{
    private byte[] _buffer = [];

    /// <summary>The last usage the upstream reported.</summary>
    public UsageInfo? Usage { get; private set; }

    /// <summary>The chunk to relay in <paramref name="relayed"/> (valid until the next call); false when it is not relayed.</summary>
    public bool TryFilter(ReadOnlyMemory<byte> chunk, out ReadOnlyMemory<byte> relayed)
    {
        relayed = chunk;
        var span = chunk.Span;
        if (span.IndexOf("\"usage\""u8) < 0) return true;
        int cutStart = -1, cutEnd = -1;
        var emptyChoices = false;
        UsageInfo? usage = null;
        try
        {
            var reader = new Utf8JsonReader(span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = (int)reader.TokenStartIndex;
                var isUsage = reader.ValueTextEquals("usage"u8);
                var isChoices = !isUsage && reader.ValueTextEquals("choices"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.Null) (cutStart, cutEnd) = (nameStart, (int)reader.BytesConsumed);
                else if (isUsage && reader.TokenType == JsonTokenType.StartObject) usage = UsageReader.ReadUsage(ref reader);
                else if (isChoices && reader.TokenType == JsonTokenType.StartArray)
                {
                    var open = (int)reader.TokenStartIndex;
                    reader.Skip();
                    emptyChoices = span[(open + 1)..(int)reader.TokenStartIndex].Trim(" \t\r\n"u8).IsEmpty;
                }
                else reader.Skip();
            }
        }
        catch (JsonException)
        {
            return true; // not this filter's to judge: relayed as the upstream sent it
        }
        if (usage is not null)
        {
            Usage = usage;
            return !emptyChoices;
        }
        if (cutStart < 0) return true;
        relayed = Cut(span, cutStart, cutEnd);
        return true;
    }

    /// <summary>The chunk without the property at [start, end) and the comma that separated it from its neighbour.</summary>
    private ReadOnlyMemory<byte> Cut(ReadOnlySpan<byte> chunk, int start, int end)
    {
        var before = chunk[..start].TrimEnd(" \t\r\n"u8);
        if (before is [.., (byte)',']) start = before.Length - 1;
        else
        {
            var after = chunk[end..];
            var comma = after.Length - after.TrimStart(" \t\r\n"u8).Length;
            if (comma < after.Length && after[comma] == (byte)',') end += comma + 1;
        }
        var length = chunk.Length - (end - start);
        if (_buffer.Length < length) _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        chunk[..start].CopyTo(_buffer);
        chunk[end..].CopyTo(_buffer.AsSpan(start));
        return _buffer.AsMemory(0, length);
    }
}
