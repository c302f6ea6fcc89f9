using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Requests;

/// <summary>
/// Replaces request fields for one target (lm-proxy Fallback overrides). Rare, so it re-serialises instead of
/// splicing; the common path never comes here.
/// </summary>
internal static class BodyOverrides
{
    public static RequestBody Apply(RequestBody request, JsonObject overrides)
    {
        var body = JsonNode.Parse(request.Body.Span)!.AsObject();
        foreach (var (key, value) in overrides) body[key] = value?.DeepClone();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, ProxyJsonContext.Default.JsonObject);
        if (!ChatRequestParser.TryParse(bytes, out var result, out var error))
        {
            throw new InvalidOperationException($"Route overrides produced an invalid request: {error!.Message}");
        }
        return result!;
    }
}
