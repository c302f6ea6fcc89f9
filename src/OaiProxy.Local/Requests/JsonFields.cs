using System.Text.Json;

namespace OaiProxy.Local.Requests;

/// <summary>Typed, range-checked reads of optional request fields; JSON null counts as absent.</summary>
internal static class JsonFields
{
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static float? Number(JsonElement obj, string name, double min, double max)
    {
        if (!TryGet(obj, name, out var v))
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || d < min || d > max)
        {
            throw new LocalRequestException(name, $"'{name}' must be a number from {min} to {max}.");
        }

        return (float)d;
    }

    public static long? Integer(JsonElement obj, string name, long min, long max)
    {
        if (!TryGet(obj, name, out var v))
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n) || n < min || n > max)
        {
            throw new LocalRequestException(name, $"'{name}' must be an integer from {min} to {max}.");
        }

        return n;
    }

    public static bool Flag(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var v))
        {
            return false;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new LocalRequestException(name, $"'{name}' must be true or false."),
        };
    }
}
