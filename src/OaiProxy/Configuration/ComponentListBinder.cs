using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>
/// Binds pluggable components: a class name string, or a table with <c>class</c> and its settings. Settings are
/// validated later by the component's own reader, so misspelt settings are still reported with their path.
/// </summary>
internal static class ComponentListBinder
{
    public static List<ComponentConfig> Bind(ConfigSection root, string key)
    {
        var result = new List<ComponentConfig>();
        var node = root.Raw(key);
        if (node is null) return result;
        if (node is not JsonArray array)
        {
            if (BindOne(root, node, root.PathOf(key)) is { } single) result.Add(single);
            return result;
        }
        for (var i = 0; i < array.Count; i++)
        {
            if (BindOne(root, array[i], $"{root.PathOf(key)}[{i}]") is { } component) result.Add(component);
        }
        return result;
    }

    public static ComponentConfig? BindOne(ConfigSection root, JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var className):
                return new ComponentConfig(className, new JsonObject(), path);
            case JsonObject table:
                var settings = (JsonObject)table.DeepClone();
                if (settings.Remove("class", out var classNode) && classNode is JsonValue cv && cv.TryGetValue<string>(out var name))
                {
                    return new ComponentConfig(name, settings, path);
                }
                root.Errors.Add(path, "A component table needs class = \"NAME\" (a built-in name or an assembly-qualified C# type).");
                return null;
            default:
                root.Errors.Add(path, $"Expected a class name or a table with class = \"...\", found {ConfigSection.Describe(node)}.");
                return null;
        }
    }
}
