using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using OaiProxy.Errors;

namespace OaiProxy.Requests;

/// <summary>
/// Whether every string of a body is well-formed Unicode, checked once before any parser reads a string. Invalid
/// UTF-8 (raw bytes) and lone surrogates (<c>\ud800</c> escapes) pass System.Text.Json's reader but make it throw
/// when the string is read, wherever that happens (the scanner, a translator, the token counter, a logger), and
/// without limits they were forwarded as they were. Refused up front, they are the client's 400.
/// </summary>
internal static class BodyText
{
    public static ProxyError? Check(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body)) return NotUtf8(body);
        return MayHoldSurrogateEscape(body) ? CheckEscapes(body) : null;
    }

    private static ProxyError NotUtf8(ReadOnlySpan<byte> body)
    {
        var offset = 0;
        while (Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) == OperationStatus.Done) offset += consumed;
        return ProxyError.BadRequest(
            $"The request body is not valid UTF-8 (byte {offset} cannot start or continue a character); send JSON encoded as UTF-8.",
            code: ErrorCodes.InvalidJson);
    }

    // Every surrogate escape is \uD800 to \uDFFF; bodies without one (nearly all) need no second pass.
    private static bool MayHoldSurrogateEscape(ReadOnlySpan<byte> body)
    {
        var rest = body;
        for (var at = rest.IndexOf("\\u"u8); at >= 0; at = rest.IndexOf("\\u"u8))
        {
            rest = rest[(at + 2)..];
            if (rest.Length >= 2 && (rest[0] | 0x20) == 'd' && (rest[1] is (byte)'8' or (byte)'9' || (rest[1] | 0x20) is >= 'a' and <= 'f')) return true;
        }
        return false;
    }

    private static ProxyError? CheckEscapes(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = ChatRequestParser.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && HasLoneSurrogate(reader.ValueSpan))
                {
                    return ProxyError.BadRequest(
                        $"The request body holds a lone surrogate escape (such as \\ud800 without its pair) in the string at byte {reader.TokenStartIndex}; write characters beyond U+FFFF as a pair, such as \\ud83d\\ude00.",
                        code: ErrorCodes.InvalidJson);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the scan that follows says where.
        }
        return null;
    }

    /// <summary>Whether a string's escaped text has a high surrogate escape not followed by a low one, or a low one alone.</summary>
    private static bool HasLoneSurrogate(ReadOnlySpan<byte> raw)
    {
        var highPending = false;
        for (var i = 0; i < raw.Length; i++)
        {
            // The reader has checked the escapes' syntax: a backslash is followed by one character, \u by four hex digits.
            var unit = raw[i] == '\\' && raw[i + 1] == 'u' && Utf8Parser.TryParse(raw.Slice(i + 2, 4), out ushort value, out _, 'X') ? (char)value : '\0';
            if (char.IsLowSurrogate(unit) != highPending) return true;
            highPending = char.IsHighSurrogate(unit);
            if (raw[i] == '\\') i += raw[i + 1] == 'u' ? 5 : 1;
        }
        return highPending;
    }
}
