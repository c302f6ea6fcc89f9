using System.Globalization;
using System.Text;
using OaiProxy.Errors;

namespace OaiProxy.Requests;

/// <summary>
/// What a client's model name may be, checked by the scanner before routing, logging, metrics or storage see it:
/// at most <see cref="MaxLength"/> characters, none of them a control, format (invisible, bidi) or line-separator
/// character. A 1 MB name otherwise became a metrics label, a usage record and a log line on every request.
/// </summary>
internal static class ModelName
{
    /// <summary>Longest name accepted, in UTF-16 characters. Provider ids are far shorter (a Bedrock ARN is about 120).</summary>
    public const int MaxLength = 256;

    public const string InvalidCode = "invalid_value";

    /// <summary>Null when <paramref name="model"/> is an acceptable name; the error never repeats the name.</summary>
    public static ProxyError? Check(string model)
    {
        if (model.Length > MaxLength)
        {
            return ProxyError.BadRequest($"\"model\" is {model.Length} characters long; the proxy accepts model names of up to {MaxLength} characters.",
                "model", InvalidCode);
        }
        foreach (var rune in model.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
            {
                return ProxyError.BadRequest(
                    $"\"model\" contains the character U+{rune.Value:X4}, a control or invisible character that no model name holds; send the name as printable text.",
                    "model", InvalidCode);
            }
        }
        return null;
    }
}
