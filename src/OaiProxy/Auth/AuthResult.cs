using System.Text.Json.Nodes;
using OaiProxy.Configuration;

namespace OaiProxy.Auth;

/// <summary>A validated virtual key: the group it belongs to, and what the validator learned about the caller.</summary>
public sealed record AuthResult(string Group, JsonNode? UserInfo = null)
{
    /// <summary>The stored key's id (see <c>OaiProxy.Storage</c>); null for keys from the config file or other validators.</summary>
    public string? KeyId { get; init; }

    /// <summary>The stored key's name, for messages; never its secret.</summary>
    public string? KeyName { get; init; }

    /// <summary>Model-name globs this key may ask for; null allows every model its group may use.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Connections this key may use, within its group's; null allows all of the group's.</summary>
    public IReadOnlyList<string>? Connections { get; init; }

    /// <summary>The key's own rate and spend limits; null when it has none.</summary>
    public LimitsConfig? Limits { get; init; }
}
