using System.Text.Json.Nodes;
using OaiProxy.Configuration;

namespace OaiProxy.Storage.Keys;

/// <summary>
/// The settable fields of a key, for create and update. On update, only fields marked set change
/// (<see cref="Has"/>); a set field with a null value clears it.
/// </summary>
public sealed class KeyFields
{
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);

    public string? Name { get => _name; set => Set(ref _name, value, "name"); }

    public string? Group { get => _group; set => Set(ref _group, value, "group"); }

    public IReadOnlyList<string>? Models { get => _models; set => Set(ref _models, value, "models"); }

    public IReadOnlyList<string>? Connections { get => _connections; set => Set(ref _connections, value, "connections"); }

    public JsonObject? Metadata { get => _metadata; set => Set(ref _metadata, value, "metadata"); }

    public DateTimeOffset? ExpiresAt { get => _expiresAt; set => Set(ref _expiresAt, value, "expires_at"); }

    public long? Rpm { get => _rpm; set => Set(ref _rpm, value, "rpm"); }

    public long? Tpm { get => _tpm; set => Set(ref _tpm, value, "tpm"); }

    public int? MaxParallel { get => _maxParallel; set => Set(ref _maxParallel, value, "max_parallel"); }

    public BudgetConfig? Budget { get => _budget; set => Set(ref _budget, value, "budget"); }

    /// <summary>Whether the field (by its API name, such as <c>expires_at</c>) was given.</summary>
    public bool Has(string field) => _set.Contains(field);

    private string? _name;
    private string? _group;
    private IReadOnlyList<string>? _models;
    private IReadOnlyList<string>? _connections;
    private JsonObject? _metadata;
    private DateTimeOffset? _expiresAt;
    private long? _rpm;
    private long? _tpm;
    private int? _maxParallel;
    private BudgetConfig? _budget;

    private void Set<T>(ref T field, T value, string name)
    {
        field = value;
        _set.Add(name);
    }
}
