using Microsoft.ML.Tokenizers;

namespace OaiProxy.Usage;

/// <summary>
/// Token counts estimated with a real BPE tokenizer (o200k_base, the encoding of OpenAI's current models), where an
/// upstream reports none: the limits' reservations, <c>count_tokens</c> for non-Anthropic connections and Gemini
/// embeddings usage. Other model families tokenise differently, so this is an estimate, not a bill. The vocabulary
/// ships inside a NuGet package, so nothing is downloaded at run time; it loads on first use. The work per request is
/// bounded by <see cref="TokenTally"/>: BPE on one long piece is quadratic, so text never reaches it whole.
/// </summary>
internal static class TokenEstimator
{
    /// <summary>Longest text given to the tokenizer at once, in UTF-16 characters.</summary>
    public const int ChunkChars = 256;

    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>The tokens of one text, with its own bound on the work (see <see cref="TokenTally"/>).</summary>
    public static long Count(string text, CancellationToken cancellationToken = default)
    {
        var tally = new TokenTally(cancellationToken);
        tally.Add(text);
        return tally.Total;
    }

    /// <summary>Tokens of one chunk of at most <see cref="ChunkChars"/> characters.</summary>
    internal static int CountChunk(ReadOnlySpan<char> chunk) => Encoding.Value.CountTokens(chunk);

    /// <summary>
    /// How much of <paramref name="text"/> (longer than <paramref name="limit"/>) the next chunk takes: up to the last
    /// space that follows a non-space within the limit, because o200k's pre-tokenizer starts a piece there (a word
    /// with its leading space, or a run of whitespace) and BPE never merges across pieces, so the count is the same as
    /// for the whole text. Text without such a space (one long word, CJK, a run of one character) is cut at the
    /// limit, never inside a surrogate pair; that costs at most a token or so per cut.
    /// </summary>
    internal static int ChunkLength(ReadOnlySpan<char> text, int limit)
    {
        for (var i = limit; i > limit / 2; i--)
        {
            if (text[i] == ' ' && !char.IsWhiteSpace(text[i - 1])) return i;
        }
        return char.IsHighSurrogate(text[limit - 1]) && char.IsLowSurrogate(text[limit]) ? limit - 1 : limit;
    }
}
