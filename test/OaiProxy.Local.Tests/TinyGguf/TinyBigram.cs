namespace OaiProxy.Local.Tests.TinyGguf;

/// <summary>
/// The deterministic "bigram" rule the tiny model encodes: each token falls into one of 64 classes and the
/// output layer strongly favours one successor token per class.
/// a→b…z→a (never ends), A→B…Z→'.', '.'→&lt;/s&gt;, 0→1…9→0, anything else→'U'.
/// </summary>
internal static class TinyBigram
{
    public const int Classes = 64;
    private const int Dot = 62;
    private const int Other = 63;

    public static int ClassOf(int token)
    {
        var b = token - TinyVocab.FirstByte;
        return b switch
        {
            >= 'a' and <= 'z' => b - 'a',
            >= 'A' and <= 'Z' => 26 + b - 'A',
            >= '0' and <= '9' => 52 + b - '0',
            '.' => Dot,
            _ => Other,
        };
    }

    public static int SuccessorToken(int cls) => cls switch
    {
        < 25 => TinyVocab.ByteToken((char)('a' + cls + 1)),
        25 => TinyVocab.ByteToken('a'),
        < 51 => TinyVocab.ByteToken((char)('A' + cls - 26 + 1)),
        51 => TinyVocab.ByteToken('.'),
        < 61 => TinyVocab.ByteToken((char)('0' + cls - 52 + 1)),
        61 => TinyVocab.ByteToken('0'),
        Dot => TinyVocab.Eos,
        _ => TinyVocab.ByteToken('U'),
    };
}
