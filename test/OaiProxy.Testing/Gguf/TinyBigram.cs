namespace OaiProxy.Testing.Gguf;

/// <summary>
/// The deterministic "bigram" rule the tiny model encodes: each token falls into one of 71 classes and the
/// output layer strongly favours one successor token per class.
/// a→b…z→a (never ends), A→B…Z→'.', '.'→&lt;/s&gt;, 0→1…9→0, the bytes of "😀✓" in a chain ending in '.',
/// anything else ("other") → the first token of the <see cref="TinyReply"/>.
/// </summary>
public static class TinyBigram
{
    public const int Classes = 71;
    private const int Dot = 62;
    private const int Other = 63;

    /// <summary>UTF-8 of U+1F600 then U+2713: each byte has its own class, followed by the next byte, then '.'.</summary>
    private static readonly byte[] Utf8Chain = [0xF0, 0x9F, 0x98, 0x80, 0xE2, 0x9C, 0x93];

    public static int ClassOf(int token)
    {
        var b = token - TinyVocab.FirstByte;
        var chain = b is >= 0 and < 256 ? Array.IndexOf(Utf8Chain, (byte)b) : -1;
        return b switch
        {
            >= 'a' and <= 'z' => b - 'a',
            >= 'A' and <= 'Z' => 26 + b - 'A',
            >= '0' and <= '9' => 52 + b - '0',
            '.' => Dot,
            _ when chain >= 0 => 64 + chain,
            _ => Other,
        };
    }

    public static int SuccessorToken(int cls, TinyReply reply) => cls switch
    {
        < 25 => TinyVocab.ByteToken((char)('a' + cls + 1)),
        25 => TinyVocab.ByteToken('a'),
        < 51 => TinyVocab.ByteToken((char)('A' + cls - 26 + 1)),
        51 => TinyVocab.ByteToken('.'),
        < 61 => TinyVocab.ByteToken((char)('0' + cls - 52 + 1)),
        61 => TinyVocab.ByteToken('0'),
        Dot => TinyVocab.Eos,
        Other => reply switch
        {
            TinyReply.Lowercase => TinyVocab.ByteToken('a'),
            TinyReply.Utf8 => TinyVocab.ByteToken((char)Utf8Chain[0]),
            _ => TinyVocab.ByteToken('U'),
        },
        < 70 => TinyVocab.ByteToken((char)Utf8Chain[cls - 64 + 1]),
        _ => TinyVocab.ByteToken('.'),
    };
}
