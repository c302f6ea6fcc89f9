using System.Text.Json.Nodes;

namespace OaiProxy.Logging;

/// <summary>
/// lm-proxy's <c>LogEntryTransformer</c>: each output field is a dotted path into the entry
/// (<c>response.usage.prompt_tokens</c>, <c>request.messages.0.content</c> or <c>request.messages[0].content</c>);
/// a path that leads nowhere gives null.
/// </summary>
internal sealed class LogEntryTransformer(IReadOnlyList<KeyValuePair<string, string>> mapping) : ILogEntryTransformer
{
    public JsonObject Transform(JsonObject entry)
    {
        var result = new JsonObject();
        foreach (var (field, path) in mapping)
        {
            result[field] = Resolve(entry, path)?.DeepClone();
        }
        return result;
    }

    public static JsonNode? Resolve(JsonNode? node, string path)
    {
        foreach (var rawPart in path.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node switch
            {
                JsonObject obj => obj.TryGetPropertyValue(rawPart, out var child) ? child : null,
                JsonArray array when int.TryParse(rawPart, out var index) =>
                    index >= 0 && index < array.Count ? array[index] : index < 0 && -index <= array.Count ? array[array.Count + index] : null,
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }
}
