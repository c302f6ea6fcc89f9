namespace OaiProxy.Configuration;

/// <summary>
/// List prices (USD per million tokens: input, output, cached input) of well-known models when this was written.
/// Prices change: set <c>[prices]</c> in the config to override any of them. More specific patterns come first.
/// </summary>
internal static class BuiltInPrices
{
    public static IEnumerable<KeyValuePair<string, ModelPrice>> All { get; } =
    [
        new("gpt-4o-mini*", new(0.15m, 0.60m, 0.075m)),
        new("gpt-4o*", new(2.50m, 10.00m, 1.25m)),
        new("gpt-4.1-nano*", new(0.10m, 0.40m, 0.025m)),
        new("gpt-4.1-mini*", new(0.40m, 1.60m, 0.10m)),
        new("gpt-4.1*", new(2.00m, 8.00m, 0.50m)),
        new("gpt-5-nano*", new(0.05m, 0.40m, 0.005m)),
        new("gpt-5-mini*", new(0.25m, 2.00m, 0.025m)),
        new("gpt-5*", new(1.25m, 10.00m, 0.125m)),
        new("o1-mini*", new(1.10m, 4.40m, 0.55m)),
        new("o1*", new(15.00m, 60.00m, 7.50m)),
        new("o3-mini*", new(1.10m, 4.40m, 0.55m)),
        new("o3*", new(2.00m, 8.00m, 0.50m)),
        new("o4-mini*", new(1.10m, 4.40m, 0.275m)),
        new("claude-opus-4*", new(15.00m, 75.00m, 1.50m)),
        new("claude-sonnet-4*", new(3.00m, 15.00m, 0.30m)),
        new("claude-3-7-sonnet*", new(3.00m, 15.00m, 0.30m)),
        new("claude-3-5-sonnet*", new(3.00m, 15.00m, 0.30m)),
        new("claude-haiku-4*", new(1.00m, 5.00m, 0.10m)),
        new("claude-3-5-haiku*", new(0.80m, 4.00m, 0.08m)),
        new("gemini-2.5-pro*", new(1.25m, 10.00m, 0.31m)),
        new("gemini-2.5-flash-lite*", new(0.10m, 0.40m, 0.025m)),
        new("gemini-2.5-flash*", new(0.30m, 2.50m, 0.075m)),
        new("gemini-2.0-flash*", new(0.10m, 0.40m, 0.025m)),
    ];
}
