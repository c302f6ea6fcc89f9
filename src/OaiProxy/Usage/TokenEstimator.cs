using Microsoft.ML.Tokenizers;

namespace OaiProxy.Usage;

/// <summary>
/// Token counts estimated with a real BPE tokenizer (o200k_base, the encoding of OpenAI's current models), where an
/// upstream reports none: <c>count_tokens</c> for non-Anthropic connections and Gemini embeddings usage. Other
/// model families tokenise differently, so this is an estimate, not a bill. The vocabulary ships inside a NuGet
/// package, so nothing is downloaded at run time; it loads on first use.
/// </summary>
internal static class TokenEstimator
{
    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public static int Count(string text) => string.IsNullOrEmpty(text) ? 0 : Encoding.Value.CountTokens(text);
}
