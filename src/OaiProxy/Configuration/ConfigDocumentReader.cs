using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tomlyn;
using Tomlyn.Model;
using YamlDotNet.RepresentationModel;

namespace OaiProxy.Configuration;

/// <summary>
/// Reads a config file of any supported format (by extension: .toml, .json, .yml/.yaml) into one ordered JSON tree,
/// so binding and validation are written once for all formats.
/// </summary>
internal static class ConfigDocumentReader
{
    public static JsonObject ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"The config file \"{path}\" does not exist; pass an existing file with --config.");
        }
        return Parse(File.ReadAllText(path), Path.GetExtension(path), path);
    }

    public static JsonObject Parse(string text, string extension, string sourceName = "config")
    {
        try
        {
            return extension.ToLowerInvariant() switch
            {
                ".toml" => FromToml(TomlSerializer.Deserialize(text, TomlDocumentContext.Default.TomlTable)!),
                ".json" => JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                           ?? throw new ConfigException($"The config file \"{sourceName}\" must hold a JSON object at the top level."),
                ".yml" or ".yaml" => FromYaml(text, sourceName),
                _ => throw new ConfigException($"The config file \"{sourceName}\" has an unsupported extension \"{extension}\"; use .toml, .json, .yml or .yaml."),
            };
        }
        catch (TomlException e)
        {
            throw new ConfigException($"The config file \"{sourceName}\" is not valid TOML: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new ConfigException($"The config file \"{sourceName}\" is not valid JSON: {e.Message}", e);
        }
    }

    private static JsonObject FromToml(TomlTable table)
    {
        var result = new JsonObject();
        foreach (var (key, value) in table)
        {
            result[key] = FromTomlValue(value);
        }
        return result;
    }

    private static JsonNode? FromTomlValue(object? value) => value switch
    {
        null => null,
        TomlTable table => FromToml(table),
        TomlTableArray tables => new JsonArray(tables.Select(t => (JsonNode?)FromToml(t)).ToArray()),
        TomlArray array => new JsonArray(array.Select(FromTomlValue).ToArray()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        TomlDateTime dt => JsonValue.Create(dt.ToString()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    // YAML's exception is caught here, not in Parse: a catch clause loads its type's assembly when Parse is compiled,
    // and a TOML or JSON config should not load YamlDotNet.
    private static JsonObject FromYaml(string text, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigException($"The config file \"{sourceName}\" is not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0) return new JsonObject();
        return FromYamlNode(stream.Documents[0].RootNode) as JsonObject
               ?? throw new ConfigException($"The config file \"{sourceName}\" must hold a mapping at the top level.");
    }

    private static JsonNode? FromYamlNode(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", FromYamlNode(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(FromYamlNode).ToArray()),
        YamlScalarNode scalar => FromYamlScalar(scalar),
        _ => null,
    };

    private static JsonValue? FromYamlScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value;
        if (text is null) return null;
        // Quoted scalars are always strings; plain ones follow YAML 1.2 core schema typing.
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted
            or YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
