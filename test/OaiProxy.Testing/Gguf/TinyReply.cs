namespace OaiProxy.Testing.Gguf;

/// <summary>What the bigram model answers after a ChatML prompt (which ends in "\n", an "other" character).</summary>
public enum TinyReply
{
    /// <summary>"UVWXYZ." then &lt;/s&gt;: 8 completion tokens, finish "stop".</summary>
    Uppercase,

    /// <summary>"abc…zabc…" forever: finish "length".</summary>
    Lowercase,

    /// <summary>"😀✓." then &lt;/s&gt;: a 4-byte and a 3-byte character, one byte token each, 9 completion tokens.</summary>
    Utf8,
}
