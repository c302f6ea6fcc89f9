using System.Text;

namespace OaiProxy.Usage;

/// <summary>
/// One request's token estimate with its work bounded, whatever the text: the text goes to the tokenizer in chunks of
/// at most <see cref="TokenEstimator.ChunkChars"/> characters (so the cost per character is bounded and the whole is
/// linear), only the first <see cref="ExactChars"/> characters of the request are tokenized, and the rest is
/// estimated from its UTF-8 length at the larger of the rate measured on the tokenized part and one token per 4
/// bytes (so a cheap prefix cannot make an expensive remainder look cheap). The cancellation token (the request's)
/// is checked before every chunk, so a client that leaves stops the work.
/// </summary>
internal sealed class TokenTally(CancellationToken cancellationToken)
{
    /// <summary>Characters per request that are really tokenized (128 Ki, about 30,000 tokens of English).</summary>
    public const int ExactChars = 128 * 1024;

    private const int BytesPerEstimatedToken = 4;

    private long _tokens;
    private long _countedBytes;
    private long _estimatedBytes;

    /// <summary>Characters given to the tokenizer so far (at most <see cref="ExactChars"/>).</summary>
    public int CountedChars { get; private set; }

    /// <summary>Calls to the tokenizer so far: the work done, for tests of its bound.</summary>
    public int Chunks { get; private set; }

    /// <summary>The longest chunk given to the tokenizer (at most <see cref="TokenEstimator.ChunkChars"/>).</summary>
    public int LongestChunk { get; private set; }

    /// <summary>The tokens counted, plus the estimate for text beyond <see cref="ExactChars"/>.</summary>
    public long Total
    {
        get
        {
            if (_estimatedBytes == 0) return _tokens;
            var perByte = Math.Max(_countedBytes == 0 ? 0 : (double)_tokens / _countedBytes, 1.0 / BytesPerEstimatedToken);
            return _tokens + (long)Math.Ceiling(_estimatedBytes * perByte);
        }
    }

    public void Add(string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        var rest = text.AsSpan();
        while (!rest.IsEmpty && CountedChars < ExactChars)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var limit = Math.Min(TokenEstimator.ChunkChars, ExactChars - CountedChars);
            var length = rest.Length <= limit ? rest.Length : TokenEstimator.ChunkLength(rest, limit);
            if (length == 0) break; // one character of room left and a surrogate pair next: estimated below
            var chunk = rest[..length];
            _tokens += TokenEstimator.CountChunk(chunk);
            _countedBytes += Encoding.UTF8.GetByteCount(chunk);
            CountedChars += length;
            Chunks++;
            LongestChunk = Math.Max(LongestChunk, length);
            rest = rest[length..];
        }
        if (!rest.IsEmpty) _estimatedBytes += Encoding.UTF8.GetByteCount(rest);
    }

    /// <summary>Text known only by its UTF-8 bytes (a JSON string not decoded), once the exact part is used up.</summary>
    public bool TryAddUncounted(ReadOnlySpan<byte> utf8)
    {
        if (CountedChars < ExactChars) return false;
        _estimatedBytes += utf8.Length;
        return true;
    }
}
