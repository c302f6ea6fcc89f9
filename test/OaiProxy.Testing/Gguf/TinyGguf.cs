namespace OaiProxy.Testing.Gguf;

/// <summary>
/// Generates a valid llama-architecture GGUF without any download (see docs/local-inference.md).
/// In the default bigram mode greedy and sampled outputs are the same on every CPU backend.
/// </summary>
public static class TinyGguf
{
    public static string Write(string path, TinyGgufOptions? options = null)
    {
        using var file = File.Create(path);
        Build(options ?? new TinyGgufOptions()).WriteTo(file);
        return path;
    }

    public static GgufWriter Build(TinyGgufOptions o)
    {
        if (o.Embedding < TinyBigram.Classes && !o.Random)
        {
            throw new ArgumentException($"The bigram mode needs an embedding of at least {TinyBigram.Classes}.", nameof(o));
        }

        var rng = new XorShift(0x5EED);
        var a = o.Architecture;
        var w = new GgufWriter()
            .String("general.architecture", a)
            .String("general.name", o.Name)
            .UInt32($"{a}.context_length", (uint)o.ContextLength)
            .UInt32($"{a}.embedding_length", (uint)o.Embedding)
            .UInt32($"{a}.block_count", (uint)o.Layers)
            .UInt32($"{a}.feed_forward_length", (uint)o.FeedForward)
            .UInt32($"{a}.attention.head_count", (uint)o.Heads)
            .UInt32($"{a}.attention.head_count_kv", (uint)o.Heads)
            .Float32($"{a}.attention.layer_norm_rms_epsilon", 1e-5f)
            .UInt32($"{a}.rope.dimension_count", (uint)(o.Embedding / o.Heads))
            .String("tokenizer.ggml.model", "llama")
            .Strings("tokenizer.ggml.tokens", TinyVocab.Tokens())
            .Int32s("tokenizer.ggml.token_type", TinyVocab.TokenTypes())
            .Float32s("tokenizer.ggml.scores", new float[TinyVocab.Count])
            .UInt32("tokenizer.ggml.bos_token_id", TinyVocab.Bos)
            .UInt32("tokenizer.ggml.eos_token_id", TinyVocab.Eos)
            .UInt32("tokenizer.ggml.unknown_token_id", TinyVocab.Unk)
            .Bool("tokenizer.ggml.add_space_prefix", false);
        if (o.ChatTemplate is not null)
        {
            w.String("tokenizer.chat_template", o.ChatTemplate);
        }

        int e = o.Embedding, v = TinyVocab.Count;
        w.Tensor("token_embd.weight", o.Random ? rng.Noise(e * v, 1f) : OneHotEmbedding(e), e, v);
        w.Tensor("output_norm.weight", Ones(e), e);
        w.Tensor("output.weight", o.Random ? rng.Noise(e * v, 1f) : SuccessorOutput(e, o.Reply), e, v);
        var std = o.Random ? 0.3f : 0.02f;
        for (var l = 0; l < o.Layers; l++)
        {
            var p = $"blk.{l}.";
            w.Tensor(p + "attn_norm.weight", Ones(e), e)
                .Tensor(p + "ffn_norm.weight", Ones(e), e)
                .Tensor(p + "attn_q.weight", rng.Noise(e * e, std), e, e)
                .Tensor(p + "attn_k.weight", rng.Noise(e * e, std), e, e)
                .Tensor(p + "attn_v.weight", rng.Noise(e * e, std), e, e)
                .Tensor(p + "attn_output.weight", rng.Noise(e * e, std), e, e)
                .Tensor(p + "ffn_gate.weight", rng.Noise(e * o.FeedForward, std), e, o.FeedForward)
                .Tensor(p + "ffn_up.weight", rng.Noise(e * o.FeedForward, std), e, o.FeedForward)
                .Tensor(p + "ffn_down.weight", rng.Noise(e * o.FeedForward, std), o.FeedForward, e);
        }

        return w;
    }

    private static float[] OneHotEmbedding(int e)
    {
        var data = new float[e * TinyVocab.Count];
        for (var t = 0; t < TinyVocab.Count; t++)
        {
            data[(t * e) + TinyBigram.ClassOf(t)] = 1f;
        }

        return data;
    }

    private static float[] SuccessorOutput(int e, TinyReply reply)
    {
        // After RMS norm the one-hot class dimension is about sqrt(80) ≈ 9, so 4 gives the successor a logit
        // margin of about 36: far beyond the attention and FFN noise on every backend.
        var data = new float[e * TinyVocab.Count];
        for (var c = 0; c < TinyBigram.Classes; c++)
        {
            data[(TinyBigram.SuccessorToken(c, reply) * e) + c] = 4f;
        }

        return data;
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();
}
