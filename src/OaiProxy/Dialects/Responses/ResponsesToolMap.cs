namespace OaiProxy.Dialects.Responses;

/// <summary>
/// How the Responses tools were flattened into chat functions, to turn the model's calls back: a function from a
/// <c>namespace</c> tool gets its namespace back, a call of a <c>custom</c> tool becomes a <c>custom_tool_call</c>.
/// </summary>
internal sealed class ResponsesToolMap
{
    /// <summary>The argument a custom tool's free-form input travels in.</summary>
    public const string CustomInputArgument = "input";

    private readonly Dictionary<string, (string Namespace, string Name)> _namespaced = new(StringComparer.Ordinal);
    private readonly HashSet<string> _custom = new(StringComparer.Ordinal);

    /// <summary>Hosted and other tool types no chat upstream runs, dropped from the request (for the log).</summary>
    public List<string> Dropped { get; } = [];

    /// <summary>The chat function name of <paramref name="name"/> in namespace <paramref name="space"/>.</summary>
    public string AddNamespaced(string space, string name)
    {
        var flat = name.StartsWith(space, StringComparison.Ordinal) ? name : $"{space}__{name}";
        _namespaced[flat] = (space, name);
        return flat;
    }

    public void AddCustom(string name) => _custom.Add(name);

    public bool IsCustom(string name) => _custom.Contains(name);

    /// <summary>The namespace and name of a chat function call, as the client declared them.</summary>
    public (string? Namespace, string Name) Restore(string flat) =>
        _namespaced.TryGetValue(flat, out var original) ? original : (null, flat);

    /// <summary>The chat function name of a call the client sends back in its history (with its namespace, when it has one).</summary>
    public string Flatten(string? space, string name) => space is null ? name : AddNamespaced(space, name);
}
