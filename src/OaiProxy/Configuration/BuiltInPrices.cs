namespace OaiProxy.Configuration;

/// <summary>
/// List prices (USD per million tokens: input, output, cached input) of well-known models when this was written, for
/// the standard tier and, where a price depends on the prompt's length, prompts up to 200K tokens (Gemini 2.5 Pro and
/// 3 Pro, Claude Sonnet 4.x with the 1M context) or 128K (Gemini 1.5). Each entry names one model, its aliases and its
/// dated snapshots (<c>-YYYY-MM-DD</c> for OpenAI, <c>-YYYYMMDD</c> for Anthropic), never a family prefix: a prefix
/// such as <c>o1*</c> priced <c>o1-pro</c> at a tenth of its price, while a model with no price is refused under a
/// budget (<c>unpriced_models</c>) until the operator prices it. Prices change: <c>[prices]</c> in the config
/// overrides any of them. Only text tokens are priced: audio, image and search charges are not counted.
/// </summary>
internal static class BuiltInPrices
{
    private const string OpenAiDate = "-20[0-9][0-9]-[01][0-9]-[0-3][0-9]";
    private const string AnthropicDate = "-20[0-9][0-9][01][0-9][0-3][0-9]";

    public static IEnumerable<KeyValuePair<string, ModelPrice>> All { get; } =
    [
        // OpenAI (platform.openai.com/docs/pricing).
        .. Dated(OpenAiDate, 1.75m, 14.00m, 0.175m, "gpt-5.2", "gpt-5.2-chat-latest"),
        .. Dated(OpenAiDate, 21.00m, 168.00m, 21.00m, "gpt-5.2-pro"),
        .. Dated(OpenAiDate, 1.25m, 10.00m, 0.125m, "gpt-5.1", "gpt-5.1-chat-latest", "gpt-5.1-codex", "gpt-5.1-codex-max"),
        .. Dated(OpenAiDate, 0.25m, 2.00m, 0.025m, "gpt-5.1-codex-mini"),
        .. Dated(OpenAiDate, 1.25m, 10.00m, 0.125m, "gpt-5", "gpt-5-chat-latest", "gpt-5-codex"),
        .. Dated(OpenAiDate, 0.25m, 2.00m, 0.025m, "gpt-5-mini"),
        .. Dated(OpenAiDate, 0.05m, 0.40m, 0.005m, "gpt-5-nano"),
        .. Dated(OpenAiDate, 15.00m, 120.00m, 15.00m, "gpt-5-pro"),
        .. Dated(OpenAiDate, 2.00m, 8.00m, 0.50m, "gpt-4.1"),
        .. Dated(OpenAiDate, 0.40m, 1.60m, 0.10m, "gpt-4.1-mini"),
        .. Dated(OpenAiDate, 0.10m, 0.40m, 0.025m, "gpt-4.1-nano"),
        .. Dated(OpenAiDate, 2.50m, 10.00m, 1.25m, "gpt-4o"),
        new("gpt-4o-2024-05-13", new(5.00m, 15.00m, 5.00m)),
        .. Dated(OpenAiDate, 0.15m, 0.60m, 0.075m, "gpt-4o-mini"),
        new("chatgpt-4o-latest", new(5.00m, 15.00m, 5.00m)),
        .. Dated(OpenAiDate, 15.00m, 60.00m, 7.50m, "o1", "o1-preview"),
        .. Dated(OpenAiDate, 1.10m, 4.40m, 0.55m, "o1-mini"),
        .. Dated(OpenAiDate, 150.00m, 600.00m, 150.00m, "o1-pro"),
        .. Dated(OpenAiDate, 2.00m, 8.00m, 0.50m, "o3"),
        .. Dated(OpenAiDate, 1.10m, 4.40m, 0.55m, "o3-mini"),
        .. Dated(OpenAiDate, 20.00m, 80.00m, 20.00m, "o3-pro"),
        .. Dated(OpenAiDate, 10.00m, 40.00m, 2.50m, "o3-deep-research"),
        .. Dated(OpenAiDate, 1.10m, 4.40m, 0.275m, "o4-mini"),
        .. Dated(OpenAiDate, 2.00m, 8.00m, 0.50m, "o4-mini-deep-research"),
        new("codex-mini-latest", new(1.50m, 6.00m, 0.375m)),
        .. Dated(OpenAiDate, 10.00m, 30.00m, 10.00m, "gpt-4-turbo", "gpt-4-turbo-preview", "gpt-4-0125-preview", "gpt-4-1106-preview"),
        .. Dated(OpenAiDate, 30.00m, 60.00m, 30.00m, "gpt-4", "gpt-4-0613", "gpt-4-0314"),
        .. Dated(OpenAiDate, 60.00m, 120.00m, 60.00m, "gpt-4-32k", "gpt-4-32k-0613"),
        .. Dated(OpenAiDate, 0.50m, 1.50m, 0.50m, "gpt-3.5-turbo", "gpt-3.5-turbo-0125"),
        .. Dated(OpenAiDate, 1.00m, 2.00m, 1.00m, "gpt-3.5-turbo-1106"),
        .. Dated(OpenAiDate, 1.50m, 2.00m, 1.50m, "gpt-3.5-turbo-instruct"),
        .. Dated(OpenAiDate, 0.02m, 0m, 0.02m, "text-embedding-3-small"),
        .. Dated(OpenAiDate, 0.13m, 0m, 0.13m, "text-embedding-3-large"),
        .. Dated(OpenAiDate, 0.10m, 0m, 0.10m, "text-embedding-ada-002"),

        // Anthropic (docs.anthropic.com pricing; cached input is the cache-hit price).
        .. Dated(AnthropicDate, 5.00m, 25.00m, 0.50m, "claude-opus-4-5"),
        .. Dated(AnthropicDate, 15.00m, 75.00m, 1.50m, "claude-opus-4-1", "claude-opus-4-0", "claude-opus-4"),
        .. Dated(AnthropicDate, 3.00m, 15.00m, 0.30m, "claude-sonnet-4-5", "claude-sonnet-4-0", "claude-sonnet-4"),
        .. Dated(AnthropicDate, 3.00m, 15.00m, 0.30m, "claude-3-7-sonnet", "claude-3-7-sonnet-latest", "claude-3-5-sonnet", "claude-3-5-sonnet-latest"),
        .. Dated(AnthropicDate, 1.00m, 5.00m, 0.10m, "claude-haiku-4-5"),
        .. Dated(AnthropicDate, 0.80m, 4.00m, 0.08m, "claude-3-5-haiku", "claude-3-5-haiku-latest"),
        .. Dated(AnthropicDate, 0.25m, 1.25m, 0.03m, "claude-3-haiku"),
        .. Dated(AnthropicDate, 15.00m, 75.00m, 1.50m, "claude-3-opus", "claude-3-opus-latest"),

        // Google Gemini API (ai.google.dev pricing).
        .. Versions(2.00m, 12.00m, 0.20m, "gemini-3-pro-preview"),
        .. Versions(1.25m, 10.00m, 0.125m, "gemini-2.5-pro"),
        .. Versions(0.30m, 2.50m, 0.03m, "gemini-2.5-flash"),
        .. Versions(0.10m, 0.40m, 0.01m, "gemini-2.5-flash-lite"),
        .. Versions(0.10m, 0.40m, 0.025m, "gemini-2.0-flash"),
        .. Versions(0.075m, 0.30m, 0.075m, "gemini-2.0-flash-lite"),
        .. Versions(1.25m, 5.00m, 0.3125m, "gemini-1.5-pro"),
        .. Versions(0.075m, 0.30m, 0.01875m, "gemini-1.5-flash"),
        .. Versions(0.0375m, 0.15m, 0.01m, "gemini-1.5-flash-8b"),
        .. Versions(0.15m, 0m, 0.15m, "gemini-embedding-001"),
    ];

    /// <summary>Each name, and its snapshots dated as <paramref name="date"/> describes.</summary>
    private static IEnumerable<KeyValuePair<string, ModelPrice>> Dated(string date, decimal input, decimal output, decimal cached, params string[] names)
    {
        var price = new ModelPrice(input, output, cached);
        foreach (var name in names)
        {
            yield return new(name, price);
            yield return new(name + date, price);
        }
    }

    /// <summary>A Gemini model, its numbered versions (<c>-001</c>), <c>-latest</c> and its dated previews (<c>-preview-06-05</c>, <c>-preview-09-2025</c>).</summary>
    private static IEnumerable<KeyValuePair<string, ModelPrice>> Versions(decimal input, decimal output, decimal cached, string name)
    {
        var price = new ModelPrice(input, output, cached);
        yield return new(name, price);
        yield return new(name + "-latest", price);
        yield return new(name + "-[0-9][0-9][0-9]", price);
        yield return new(name + "-preview-[01][0-9]-[0-3][0-9]", price);
        yield return new(name + "-preview-[01][0-9]-20[0-9][0-9]", price);
    }
}
