using OaiProxy.Configuration;

namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// OpenAI and every OpenAI-compatible platform. The platform names of lm-proxy resolve to their public endpoints,
/// so <c>api_type = "groq"</c> needs only a key.
/// </summary>
internal sealed class OpenAiProviderFactory : IProviderFactory
{
    private static readonly Dictionary<string, string?> Platforms = new(StringComparer.Ordinal)
    {
        ["open_ai"] = "https://api.openai.com/v1",
        ["openai"] = "https://api.openai.com/v1",
        ["mistral"] = "https://api.mistral.ai/v1",
        ["groq"] = "https://api.groq.com/openai/v1",
        ["deepseek"] = "https://api.deepseek.com/v1",
        ["xai"] = "https://api.x.ai/v1",
        ["openrouter"] = "https://openrouter.ai/api/v1",
        ["together_ai"] = "https://api.together.xyz/v1",
        ["fireworks"] = "https://api.fireworks.ai/inference/v1",
        ["cerebras"] = "https://api.cerebras.ai/v1",
        ["perplexity"] = "https://api.perplexity.ai",
        ["deepinfra"] = "https://api.deepinfra.com/v1/openai",
        ["ollama"] = "http://127.0.0.1:11434/v1",
        ["vllm"] = null,
        ["openai_compatible"] = null,
    };

    public IReadOnlyList<string> ApiTypes { get; } = Platforms.Keys.ToList();

    public string? DefaultApiBase(string apiType) => Platforms.GetValueOrDefault(apiType);

    public object? ReadSettings(ConfigSection connection)
    {
        var apiType = connection.Node["api_type"]?.ToString() ?? "open_ai";
        if (connection.Node["api_base"] is null && DefaultApiBase(apiType) is null)
        {
            connection.Errors.Add(connection.PathOf("api_base"), "This api_type has no public endpoint; set api_base to the server's URL, such as \"http://127.0.0.1:8000/v1\".");
        }
        // OpenAI itself serves the Responses API; most compatible servers (vLLM, Ollama, llama.cpp) serve chat only.
        return new OpenAiSettings
        {
            ServesResponses = connection.Bool("responses_api", apiType is "open_ai" or "openai"),
            StreamUsage = connection.Bool("stream_usage", true),
        };
    }

    public IProvider Create(ConnectionConfig connection, ProviderContext context) =>
        new OpenAiProvider(connection, context, connection.ProviderSettings as OpenAiSettings ?? new OpenAiSettings());
}
