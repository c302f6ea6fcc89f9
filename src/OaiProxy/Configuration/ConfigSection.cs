using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>
/// A table of the config file being bound: typed getters that resolve <c>env:NAME</c> values, record every key
/// they read, and report wrong types; <see cref="ReportUnknownKeys"/> then names every key nobody read.
/// </summary>
public sealed class ConfigSection
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ConfigSection(JsonObject node, string path, ConfigErrors errors, Func<string, string?> environment)
    {
        Node = node;
        Path = path;
        Errors = errors;
        Environment = environment;
    }

    public JsonObject Node { get; }

    public string Path { get; }

    public ConfigErrors Errors { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>
    /// The folder relative paths in the config resolve against: the config file's folder, or the current directory
    /// for a document built in memory. Child sections inherit it, so provider factories can resolve their own
    /// file keys (such as a local model's <c>model_path</c>) in <see cref="IConnectionType.ReadSettings"/>.
    /// </summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>A path key's value resolved against <see cref="BaseDirectory"/>; null when absent or empty.</summary>
    public string? FilePath(string key)
    {
        var path = String(key);
        return string.IsNullOrEmpty(path) ? null : System.IO.Path.GetFullPath(path, BaseDirectory);
    }

    public IEnumerable<string> Keys => Node.Select(p => p.Key);

    public bool Has(string key) => Node.ContainsKey(key);

    public string PathOf(string key) => Join(Path, key);

    public static string Join(string path, string key)
    {
        var quoted = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? key : $"\"{key}\"";
        return string.IsNullOrEmpty(path) ? quoted : path + "." + quoted;
    }

    /// <summary>Marks a key as known without reading it (a key handled elsewhere).</summary>
    public void MarkRead(string key) => _read.Add(key);

    public JsonNode? Raw(string key)
    {
        _read.Add(key);
        return Node.TryGetPropertyValue(key, out var value) ? value : null;
    }

    public string? String(string key, string? defaultValue = null)
    {
        var node = Raw(key);
        if (node is null) return defaultValue;
        return AsString(node, PathOf(key)) ?? defaultValue;
    }

    public string? AsString(JsonNode node, string path)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return ResolveEnv(value.GetValue<string>(), path);
        }
        if (node is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
        {
            return number.ToJsonString();
        }
        Errors.Add(path, $"Expected a string, found {Describe(node)}.");
        return null;
    }

    public bool Bool(string key, bool defaultValue)
    {
        var node = Raw(key);
        if (node is null) return defaultValue;
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.String:
                    var text = ResolveEnv(value.GetValue<string>(), PathOf(key));
                    if (bool.TryParse(text, out var parsed)) return parsed;
                    if (text is "1" or "yes" or "on") return true;
                    if (text is "0" or "no" or "off") return false;
                    break;
            }
        }
        Errors.Add(PathOf(key), $"Expected true or false, found {Describe(node)}.");
        return defaultValue;
    }

    public double? Number(string key, double? defaultValue, double min = double.MinValue, double max = double.MaxValue)
    {
        var node = Raw(key);
        if (node is null) return defaultValue;
        double? result = null;
        if (node is JsonValue value)
        {
            if (value.GetValueKind() == JsonValueKind.Number) result = ToDouble(value);
            else if (value.GetValueKind() == JsonValueKind.String &&
                     double.TryParse(ResolveEnv(value.GetValue<string>(), PathOf(key)), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                result = parsed;
        }
        if (result is null)
        {
            Errors.Add(PathOf(key), $"Expected a number, found {Describe(node)}.");
            return defaultValue;
        }
        if (result < min || result > max)
        {
            Errors.Add(PathOf(key), $"{result.Value.ToString(CultureInfo.InvariantCulture)} is out of range; use a value from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
            return defaultValue;
        }
        return result;
    }

    public int Int(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var number = Number(key, defaultValue, min, max);
        if (number is { } n && n != Math.Floor(n))
        {
            Errors.Add(PathOf(key), "Expected a whole number.");
            return defaultValue;
        }
        return (int)(number ?? defaultValue);
    }

    public TimeSpan? Seconds(string key, TimeSpan? defaultValue) => Seconds(key, defaultValue, 0, 86_400 * 7);

    /// <summary>A duration in seconds between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public TimeSpan? Seconds(string key, TimeSpan? defaultValue, double min, double max)
    {
        var seconds = Number(key, defaultValue?.TotalSeconds, min, max);
        return seconds is null ? null : TimeSpan.FromSeconds(seconds.Value);
    }

    /// <summary>A list of strings; a single string is accepted as a one-item list, or split on commas when asked.</summary>
    public IReadOnlyList<string>? StringList(string key, bool splitCommas = false)
    {
        var node = Raw(key);
        if (node is null) return null;
        var path = PathOf(key);
        if (node is JsonArray array)
        {
            var list = new List<string>(array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is { } item && AsString(item, $"{path}[{i}]") is { } text) list.Add(text);
            }
            return list;
        }
        var single = AsString(node, path);
        if (single is null) return null;
        return splitCommas
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [single];
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var section = Section(key);
        if (section is null) return new Dictionary<string, string>();
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in section.Node)
        {
            section.MarkRead(name);
            if (value is not null && section.AsString(value, section.PathOf(name)) is { } text) map[name] = text;
        }
        return map;
    }

    public ConfigSection? Section(string key)
    {
        var node = Raw(key);
        if (node is null) return null;
        if (node is JsonObject obj) return new ConfigSection(obj, PathOf(key), Errors, Environment) { BaseDirectory = BaseDirectory };
        Errors.Add(PathOf(key), $"Expected a table, found {Describe(node)}.");
        return null;
    }

    public ConfigSection Child(JsonObject node, string key) => new(node, PathOf(key), Errors, Environment) { BaseDirectory = BaseDirectory };

    public TEnum Enum<TEnum>(string key, TEnum defaultValue, IReadOnlyDictionary<string, TEnum> names) where TEnum : notnull
    {
        var text = String(key);
        if (text is null) return defaultValue;
        if (names.TryGetValue(text, out var value)) return value;
        Errors.Add(PathOf(key), $"\"{text}\" is not a valid value; use one of {string.Join(", ", names.Keys.Select(k => $"\"{k}\""))}.{DidYouMean.Hint(text, names.Keys)}");
        return defaultValue;
    }

    /// <summary>Reports every key of this table that no getter read, with the closest known key.</summary>
    public void ReportUnknownKeys(IEnumerable<string>? alsoKnown = null)
    {
        var known = alsoKnown is null ? _read : _read.Concat(alsoKnown).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, _) in Node)
        {
            if (!known.Contains(key))
            {
                Errors.Add(PathOf(key), $"Unknown key \"{key}\"; remove it or fix its name.{DidYouMean.Hint(key, known)}");
            }
        }
    }

    /// <summary>Replaces an <c>env:NAME</c> value with the environment variable, reporting a missing one.</summary>
    public string? ResolveEnv(string value, string path)
    {
        if (!value.StartsWith("env:", StringComparison.Ordinal)) return value;
        var name = value[4..].Trim();
        var resolved = Environment(name);
        if (resolved is null)
        {
            // lm-proxy reads a missing variable as empty, so configs listing unused providers still start.
            Errors.Warn(path, $"The environment variable \"{name}\" is not set, so this value is empty; set it, add it to the .env file, or write the value directly.");
        }
        return resolved;
    }

    /// <summary>A number node as double, whichever CLR type the reader stored it as (TOML gives long).</summary>
    public static double ToDouble(JsonValue value) =>
        double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "a table",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{v.GetValue<string>()}\"",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {v.ToJsonString()}",
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };
}
