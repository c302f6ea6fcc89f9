using System.Text.Json.Nodes;
using OaiProxy.Configuration;

namespace OaiProxy.Storage.Keys;

/// <summary>A stored virtual key as the admin API shows it: everything but its secret (only a short hint of it).</summary>
public sealed record StoredKey
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Group { get; init; }

    /// <summary>Model-name globs the key may use; null: any its group may use.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Connections the key may use; null: any its group may use.</summary>
    public IReadOnlyList<string>? Connections { get; init; }

    public JsonObject? Metadata { get; init; }

    public LimitsConfig Limits { get; init; } = new();

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public DateTimeOffset? RotatedAt { get; init; }

    /// <summary>The key's secrets (the current one, and older ones still in their grace period or expired).</summary>
    public IReadOnlyList<KeySecretInfo> Secrets { get; init; } = [];

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
