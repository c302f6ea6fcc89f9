using System.Collections.Frozen;

namespace OaiProxy.Configuration;

/// <summary>
/// Client headers that change what a provider bills or turns on (security-findings.md, finding 16): they reach an
/// upstream only where the connection's or the group's <c>allowed_client_headers</c> names them, and
/// <c>anthropic-beta</c> only with the values <c>allowed_anthropic_betas</c> lists.
/// </summary>
internal static class GatedHeaders
{
    public const string AnthropicBeta = "anthropic-beta";

    /// <summary>Whatever <c>allowed_anthropic_betas</c> holds this, every beta passes.</summary>
    public const string AnyBeta = "*";

    /// <summary>The headers gated by <c>allowed_client_headers</c>; <c>anthropic-beta</c> is gated by value.</summary>
    public static readonly FrozenSet<string> Names =
        new[] { AnthropicBeta, "openai-organization", "openai-project", "x-goog-user-project" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The betas Claude Code sends through a gateway (agent-clients.md 2.3): its own marker, interleaved thinking,
    /// fine-grained tool streaming and context management. <c>oauth-2025-04-20</c> is not among them: Claude Code
    /// sends it only with a claude.ai login, and the proxy answers with its own key.
    /// </summary>
    public static readonly IReadOnlyList<string> ClaudeCodeBetas =
    [
        "claude-code-20250219", "interleaved-thinking-2025-05-14", "fine-grained-tool-streaming-2025-05-14", "context-management-2025-06-27",
    ];

    /// <summary>Binds <c>allowed_client_headers</c> (lower-cased) and <c>allowed_anthropic_betas</c> of a connection or group table.</summary>
    public static (IReadOnlyList<string> Headers, IReadOnlyList<string>? Betas) Bind(ConfigSection s)
    {
        var headers = new List<string>();
        foreach (var name in s.StringList("allowed_client_headers", splitCommas: true) ?? [])
        {
            if (name.Equals(AnthropicBeta, StringComparison.OrdinalIgnoreCase))
            {
                s.Errors.Add(s.PathOf("allowed_client_headers"), "anthropic-beta is allowed by value; list the betas in allowed_anthropic_betas, or write allowed_anthropic_betas = [\"*\"] for all.");
            }
            else if (Names.Contains(name)) headers.Add(name.ToLowerInvariant());
            else
            {
                s.Errors.Add(s.PathOf("allowed_client_headers"),
                    $"\"{name}\" is not a gated header; only {string.Join(", ", Names.Where(n => n != AnthropicBeta).Order().Select(n => $"\"{n}\""))} need allowing, other client headers follow the before handlers.");
            }
        }
        return (headers, s.StringList("allowed_anthropic_betas", splitCommas: true));
    }
}
