using OaiProxy.Usage;

namespace OaiProxy.Local;

/// <summary>Exact token counts of one generation, as the model's tokenizer counts them.</summary>
/// <param name="PromptTokens">Tokens of the templated prompt, including BOS and template markers.</param>
/// <param name="CompletionTokens">Tokens sampled, including an end-of-generation token when one ended the reply.</param>
public sealed record LocalUsage(int PromptTokens, int CompletionTokens)
{
    /// <summary>Prompt plus completion tokens.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>The counts in OpenAI's terms: a local model has no prompt cache and no separate reasoning count.</summary>
    internal UsageInfo ToUsageInfo() => new(PromptTokens, CompletionTokens, TotalTokens);
}
