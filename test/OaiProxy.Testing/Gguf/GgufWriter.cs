using System.Text;

namespace OaiProxy.Testing.Gguf;

/// <summary>A minimal GGUF v3 writer: string/int/float/bool/array metadata and F32 tensors.</summary>
public sealed class GgufWriter
{
    private const int Alignment = 32;
    private readonly List<(string Key, Action<BinaryWriter> Write)> _kvs = [];
    private readonly List<(string Name, long[] Dims, float[] Data)> _tensors = [];

    public GgufWriter String(string key, string value) => Add(key, w => { w.Write(8u); WriteString(w, value); });

    public GgufWriter UInt32(string key, uint value) => Add(key, w => { w.Write(4u); w.Write(value); });

    public GgufWriter Float32(string key, float value) => Add(key, w => { w.Write(6u); w.Write(value); });

    public GgufWriter Bool(string key, bool value) => Add(key, w => { w.Write(7u); w.Write(value ? (byte)1 : (byte)0); });

    public GgufWriter Strings(string key, IReadOnlyList<string> values) => Add(key, w =>
    {
        w.Write(9u);
        w.Write(8u);
        w.Write((ulong)values.Count);
        foreach (var v in values)
        {
            WriteString(w, v);
        }
    });

    public GgufWriter Int32s(string key, IReadOnlyList<int> values) => Add(key, w =>
    {
        w.Write(9u);
        w.Write(5u);
        w.Write((ulong)values.Count);
        foreach (var v in values)
        {
            w.Write(v);
        }
    });

    public GgufWriter Float32s(string key, IReadOnlyList<float> values) => Add(key, w =>
    {
        w.Write(9u);
        w.Write(6u);
        w.Write((ulong)values.Count);
        foreach (var v in values)
        {
            w.Write(v);
        }
    });

    /// <summary>Adds an F32 tensor; <paramref name="dims"/> are in ggml order (dims[0] is the row length).</summary>
    public GgufWriter Tensor(string name, float[] data, params long[] dims)
    {
        if (dims.Aggregate(1L, (a, b) => a * b) != data.Length)
        {
            throw new ArgumentException($"Tensor '{name}' has {data.Length} values but its dims say otherwise.", nameof(data));
        }

        _tensors.Add((name, dims, data));
        return this;
    }

    public void WriteTo(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(0x46554747u); // "GGUF"
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_kvs.Count);
        foreach (var (key, write) in _kvs)
        {
            WriteString(w, key);
            write(w);
        }

        long offset = 0;
        foreach (var (name, dims, data) in _tensors)
        {
            WriteString(w, name);
            w.Write((uint)dims.Length);
            foreach (var d in dims)
            {
                w.Write((ulong)d);
            }

            w.Write(0u); // GGML_TYPE_F32
            w.Write((ulong)offset);
            offset = Align(offset + (data.Length * 4L));
        }

        Pad(w);
        foreach (var (_, _, data) in _tensors)
        {
            foreach (var f in data)
            {
                w.Write(f);
            }

            Pad(w);
        }
    }

    private GgufWriter Add(string key, Action<BinaryWriter> write)
    {
        _kvs.Add((key, write));
        return this;
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static long Align(long n) => (n + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter w)
    {
        w.Flush();
        var pos = w.BaseStream.Position;
        for (var i = pos; i < Align(pos); i++)
        {
            w.Write((byte)0);
        }
    }
}
