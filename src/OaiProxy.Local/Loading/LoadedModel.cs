using LLama;
using LLama.Common;
using OaiProxy.Local.Prompting;

namespace OaiProxy.Local.Loading;

/// <summary>Weights plus everything derived from them once: context parameters and the prompt builder.</summary>
internal sealed class LoadedModel(LLamaWeights weights, ModelParams contextParams, PromptBuilder prompt) : IDisposable
{
    public LLamaWeights Weights { get; } = weights;

    /// <summary>Parameters for every context of this model (context size, threads, batch size).</summary>
    public ModelParams ContextParams { get; } = contextParams;

    public PromptBuilder Prompt { get; } = prompt;

    /// <summary>The usable context: the configured size capped by the trained one.</summary>
    public int ContextSize => (int)ContextParams.ContextSize!.Value;

    public LLamaContext CreateContext() => Weights.CreateContext(ContextParams);

    public void Dispose() => Weights.Dispose();
}
