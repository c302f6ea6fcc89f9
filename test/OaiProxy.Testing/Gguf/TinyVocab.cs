namespace OaiProxy.Testing.Gguf;

/// <summary>
/// The SentencePiece vocabulary of the tiny model: 3 specials, 256 byte tokens, "▁" and the two ChatML markers.
/// Byte fallback lets any UTF-8 text round-trip.
/// </summary>
public static class TinyVocab
{
    public const int Unk = 0;
    public const int Bos = 1;
    public const int Eos = 2;
    public const int FirstByte = 3;
    public const int Space = 259;
    public const int ImStart = 260;
    public const int ImEnd = 261;
    public const int Count = 262;

    private const int TypeNormal = 1;
    private const int TypeUnknown = 2;
    private const int TypeControl = 3;
    private const int TypeByte = 6;

    public static int ByteToken(char c) => FirstByte + c;

    public static string[] Tokens()
    {
        var tokens = new string[Count];
        tokens[Unk] = "<unk>";
        tokens[Bos] = "<s>";
        tokens[Eos] = "</s>";
        for (var b = 0; b < 256; b++)
        {
            tokens[FirstByte + b] = $"<0x{b:X2}>";
        }

        tokens[Space] = "\u2581";
        tokens[ImStart] = "<|im_start|>";
        tokens[ImEnd] = "<|im_end|>";
        return tokens;
    }

    public static int[] TokenTypes()
    {
        var types = new int[Count];
        Array.Fill(types, TypeByte);
        types[Unk] = TypeUnknown;
        types[Bos] = TypeControl;
        types[Eos] = TypeControl;
        types[Space] = TypeNormal;
        types[ImStart] = TypeControl;
        types[ImEnd] = TypeControl;
        return types;
    }
}
