using System.Text;

namespace OaiProxy.Local.Loading;

/// <summary>
/// Reads the GGUF header and metadata in managed code, so a wrong file fails with a clear message before llama.cpp
/// sees it, and so name and trained context are known before the weights are read (the "first_use" mode).
/// </summary>
internal static class GgufHeaderReader
{
    public const uint Magic = 0x46554747; // "GGUF" little-endian
    private const int MaxStringBytes = 64 << 20;

    /// <exception cref="InvalidDataException">The file is not GGUF, or its header is truncated or corrupt.</exception>
    public static GgufInfo Read(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (stream.Length < 8 || r.ReadUInt32() != Magic)
            {
                throw new InvalidDataException("The file does not start with the GGUF magic bytes.");
            }

            var version = r.ReadUInt32();
            if (version is < 2 or > 3)
            {
                throw new InvalidDataException($"GGUF version {version} is not supported (2 or 3 is).");
            }

            _ = r.ReadUInt64(); // tensor count
            var kvCount = r.ReadUInt64();
            string? arch = null, name = null;
            var numbers = new Dictionary<string, long>(StringComparer.Ordinal);
            for (ulong i = 0; i < kvCount; i++)
            {
                var key = ReadString(r);
                var type = r.ReadUInt32();
                if (type == 8 && key is "general.architecture" or "general.name")
                {
                    var value = ReadString(r);
                    (arch, name) = key == "general.architecture" ? (value, name) : (arch, value);
                }
                else if (key.EndsWith(".context_length", StringComparison.Ordinal) && ReadInteger(r, type) is { } n)
                {
                    numbers[key] = n;
                }
                else
                {
                    Skip(r, type);
                }
            }

            long? context = arch is not null && numbers.TryGetValue(arch + ".context_length", out var c) ? c : null;
            return new GgufInfo(version, arch, name, context);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The GGUF header is truncated.", e);
        }
    }

    private static string ReadString(BinaryReader r)
    {
        var length = r.ReadUInt64();
        if (length > MaxStringBytes)
        {
            throw new InvalidDataException("The GGUF header holds an implausibly long string; the file is corrupt.");
        }

        return Encoding.UTF8.GetString(r.ReadBytes((int)length));
    }

    private static long? ReadInteger(BinaryReader r, uint type) => type switch
    {
        4 => r.ReadUInt32(),
        5 => r.ReadInt32(),
        10 => (long)r.ReadUInt64(),
        11 => r.ReadInt64(),
        _ => SkipAndReturnNull(r, type),
    };

    private static long? SkipAndReturnNull(BinaryReader r, uint type)
    {
        Skip(r, type);
        return null;
    }

    private static void Skip(BinaryReader r, uint type)
    {
        switch (type)
        {
            case 8:
                r.BaseStream.Seek((long)r.ReadUInt64(), SeekOrigin.Current);
                break;
            case 9:
                var elementType = r.ReadUInt32();
                var count = r.ReadUInt64();
                if (elementType is 8 or 9)
                {
                    for (ulong i = 0; i < count; i++)
                    {
                        Skip(r, elementType);
                    }
                }
                else
                {
                    r.BaseStream.Seek((long)(count * (ulong)ScalarSize(elementType)), SeekOrigin.Current);
                }

                break;
            default:
                r.BaseStream.Seek(ScalarSize(type), SeekOrigin.Current);
                break;
        }

        if (r.BaseStream.Position > r.BaseStream.Length)
        {
            throw new EndOfStreamException();
        }
    }

    private static int ScalarSize(uint type) => type switch
    {
        0 or 1 or 7 => 1,
        2 or 3 => 2,
        4 or 5 or 6 => 4,
        10 or 11 or 12 => 8,
        _ => throw new InvalidDataException($"The GGUF header holds an unknown value type {type}; the file is corrupt."),
    };
}
