namespace OaiProxy.Configuration;

/// <summary>
/// Prices by model name or glob: the config's <c>[prices]</c> entries first (exact names, then patterns in file
/// order), then the built-in list. The upstream model is looked up before the name the client asked for.
/// </summary>
public sealed class PriceTable
{
    private readonly Dictionary<string, ModelPrice> _exact = new(StringComparer.Ordinal);
    private readonly List<(GlobPattern Pattern, ModelPrice Price)> _patterns = [];
    private readonly PriceTable? _fallback;

    public PriceTable(IEnumerable<KeyValuePair<string, ModelPrice>> entries, PriceTable? fallback = null)
    {
        foreach (var (name, price) in entries)
        {
            if (GlobPattern.HasWildcards(name)) _patterns.Add((new GlobPattern(name), price));
            else _exact[name] = price;
        }
        _fallback = fallback;
    }

    /// <summary>Built-in list prices of well-known models only.</summary>
    public static PriceTable BuiltIn { get; } = new(BuiltInPrices.All);

    /// <summary>Entries of this table itself, not counting the built-in fallback.</summary>
    public int Count => _exact.Count + _patterns.Count;

    public ModelPrice? Find(string? model)
    {
        if (string.IsNullOrEmpty(model)) return null;
        if (_exact.TryGetValue(model, out var exact)) return exact;
        foreach (var (pattern, price) in _patterns)
        {
            if (pattern.IsMatch(model)) return price;
        }
        return _fallback?.Find(model);
    }
}
