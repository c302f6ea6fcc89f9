using System.Text;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// Maps client tool-call ids to ids Anthropic accepts (<c>^[a-zA-Z0-9_-]+$</c>), the same way for a
/// <c>tool_use</c> and its <c>tool_result</c>. Ids that already fit pass unchanged; two different ids that would
/// collide after sanitising get distinct suffixes, so results never attach to the wrong call.
/// </summary>
internal sealed class AnthropicToolIds
{
    private readonly Dictionary<string, string> _byOriginal = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public string Map(string id)
    {
        if (_byOriginal.TryGetValue(id, out var known)) return known;
        var sanitised = Sanitise(id);
        var candidate = sanitised;
        for (var n = 2; !_used.Add(candidate); n++) candidate = $"{sanitised}_{n}";
        _byOriginal[id] = candidate;
        return candidate;
    }

    public static string Sanitise(string id)
    {
        if (id.Length == 0) return "call_";
        var builder = new StringBuilder(id.Length);
        foreach (var c in id) builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        return builder.ToString();
    }
}
