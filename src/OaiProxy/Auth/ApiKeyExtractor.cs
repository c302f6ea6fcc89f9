using Microsoft.AspNetCore.Http;

namespace OaiProxy.Auth;

/// <summary>Finds the virtual key: <c>Authorization: Bearer</c> (OpenAI SDKs), <c>x-api-key</c> (Anthropic SDKs) or <c>api-key</c> (Azure style).</summary>
internal static class ApiKeyExtractor
{
    public static string? FromHeaders(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString();
        if (authorization.Length > 7 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }
        if (headers.TryGetValue("x-api-key", out var xApiKey) && xApiKey.Count > 0 && !string.IsNullOrWhiteSpace(xApiKey[0])) return xApiKey[0]!.Trim();
        if (headers.TryGetValue("api-key", out var apiKey) && apiKey.Count > 0 && !string.IsNullOrWhiteSpace(apiKey[0])) return apiKey[0]!.Trim();
        return null;
    }
}
