namespace OaiProxy.Testing.Gguf;

/// <summary>Shape and metadata of a generated model. The defaults give a 0.5 MiB deterministic test model.</summary>
public sealed record TinyGgufOptions
{
    /// <summary>A ChatML template string; llama.cpp recognises it by the "&lt;|im_start|&gt;" marker.</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    public string Architecture { get; init; } = "llama";
    public string Name { get; init; } = "tiny-bigram";
    public int Layers { get; init; } = 2;
    /// <summary>
    /// At least <see cref="TinyBigram.Classes"/> in bigram mode: one dimension per class. Keep Embedding / Heads a
    /// power of two: a head size of 18 (72 / 4) made prompt processing 8 times slower than 16 (80 / 5).
    /// </summary>
    public int Embedding { get; init; } = 80;
    public int FeedForward { get; init; } = 128;
    public int Heads { get; init; } = 5;
    public TinyReply Reply { get; init; } = TinyReply.Uppercase;
    public int ContextLength { get; init; } = 2048;
    public string? ChatTemplate { get; init; } = ChatMlTemplate;

    /// <summary>Random weights everywhere: arbitrary output, for load and throughput checks only.</summary>
    public bool Random { get; init; }
}
