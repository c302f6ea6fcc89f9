using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>
/// Every secret a config holds, for the one scrubber of upstream text (<c>Errors/SecretScrubber</c>): the master,
/// state and key-id keys, the salt of lm-proxy's ids, every connection's <c>api_key</c>, its credential headers
/// (the whole value and the token after a scheme such as <c>Bearer</c>) and its provider's own secrets, passwords in
/// <c>api_base</c>, <c>redis_url</c> and <c>database_url</c>, the virtual keys of the groups, and credential-named
/// settings of components (an HTTP key check's headers, say; their <c>env:</c> values are read from
/// <c>environment</c>, as the components read them).
/// </summary>
internal static class ConfiguredSecrets
{
    private static readonly string[] CredentialWords = ["key", "token", "secret", "password", "passwd", "auth", "credential", "cookie", "signature"];

    public static IEnumerable<string> Of(ProxyConfig config, Func<string, string?>? environment = null)
    {
        var secrets = new List<string?> { config.MasterKey, config.StateKey, config.ApiKeyIdSecret };
        if (config.LmProxyApiKeyIds) secrets.Add(config.EncryptionKey);
        secrets.AddRange(Passwords(config.Redis.Url));
        secrets.AddRange(Passwords(config.DatabaseUrl));
        foreach (var group in config.Groups) secrets.AddRange(group.ApiKeys);
        foreach (var connection in config.Connections)
        {
            secrets.Add(connection.ApiKey);
            secrets.AddRange(Passwords(connection.ApiBase));
            foreach (var (name, value) in connection.HttpHeaders)
            {
                if (IsCredentialName(name)) secrets.AddRange(CredentialValue(value));
            }
            if (connection.ProviderSettings is ISecretSettings settings) secrets.AddRange(settings.Secrets);
        }
        foreach (var component in config.Loggers.Concat(config.Before).Append(config.ApiKeyCheck)) Settings(component.Settings, false, secrets, environment);
        return secrets.OfType<string>().Where(s => !string.IsNullOrWhiteSpace(s));
    }

    /// <summary>Names of headers and settings that carry credentials: <c>Authorization</c>, <c>api-key</c>, <c>x-goog-api-key</c>, <c>client_secret</c>...</summary>
    public static bool IsCredentialName(string name)
    {
        foreach (var word in CredentialWords)
        {
            if (name.Contains(word, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>A credential header's value, and its token alone when it has a scheme (<c>Bearer X</c>, <c>Basic X</c>).</summary>
    private static IEnumerable<string> CredentialValue(string value)
    {
        yield return value;
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0) yield return value[(space + 1)..].Trim();
    }

    /// <summary>
    /// The password of a URL (<c>scheme://user:PASSWORD@host</c>) or of a connection string's <c>Password=</c> /
    /// <c>Pwd=</c> keyword, or a StackExchange.Redis string's <c>password=</c> option.
    /// </summary>
    internal static IEnumerable<string> Passwords(string? text)
    {
        if (string.IsNullOrEmpty(text)) yield break;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            var userInfo = Uri.UnescapeDataString(uri.UserInfo);
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0) yield return userInfo[(colon + 1)..];
            yield return uri.UserInfo;
        }
        foreach (var part in text.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) continue;
            var name = part[..equals].Trim();
            if (name.Equals("password", StringComparison.OrdinalIgnoreCase) || name.Equals("pwd", StringComparison.OrdinalIgnoreCase))
            {
                yield return part[(equals + 1)..].Trim().Trim('\'', '"');
            }
        }
    }

    private static void Settings(JsonNode? node, bool credential, List<string?> secrets, Func<string, string?>? environment)
    {
        switch (node)
        {
            case JsonObject table:
                foreach (var (name, value) in table) Settings(value, credential || IsCredentialName(name), secrets, environment);
                break;
            case JsonArray list:
                foreach (var item in list) Settings(item, credential, secrets, environment);
                break;
            case JsonValue value when credential && value.TryGetValue<string>(out var text):
                var resolved = text.StartsWith("env:", StringComparison.Ordinal) ? environment?.Invoke(text[4..].Trim()) : text;
                if (resolved is not null) secrets.AddRange(CredentialValue(resolved));
                break;
        }
    }
}
