namespace OaiProxy.Providers.Anthropic;

/// <summary>A parsed <c>data:&lt;mime&gt;[;param]*;base64,&lt;payload&gt;</c> URL.</summary>
internal readonly record struct AnthropicDataUrl(string MediaType, string Base64)
{
    public static bool TryParse(string url, out AnthropicDataUrl result)
    {
        result = default;
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return false;
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0) return false;
        var header = url[5..comma];
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase)) return false;
        // Parameters such as ";charset=utf-8" are not part of the media type Anthropic checks.
        var mime = header.Split(';')[0].Trim().ToLowerInvariant();
        if (mime.Length == 0) return false;
        result = new AnthropicDataUrl(mime, url[(comma + 1)..]);
        return true;
    }
}
