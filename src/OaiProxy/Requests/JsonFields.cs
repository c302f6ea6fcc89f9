using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Wire;

namespace OaiProxy.Requests;

/// <summary>
/// The one reader of fields in a parsed JSON body (a client's request, an upstream's answer, a key file): absent,
/// null and wrongly typed fields read as missing, so translators can map what is there without guarding each step.
/// </summary>
internal static class JsonFields
{
    /// <summary>The property when <paramref name="element"/> is an object that has it and it is not null.</summary>
    public static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>The property's text when it is a string; null otherwise.</summary>
    public static string? String(JsonElement element, string name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The property as text when it is a string or a number (error codes come as either); null otherwise.</summary>
    public static string? StringOrNumber(JsonElement element, string name) =>
        TryGet(element, name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : null;

    /// <summary>The element re-written without the sender's whitespace (tool arguments as a JSON string).</summary>
    public static string Compact(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            element.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A deep copy, independent of the document the element belongs to.</summary>
    public static JsonNode? Clone(JsonElement element) => JsonNode.Parse(element.GetRawText());
}
