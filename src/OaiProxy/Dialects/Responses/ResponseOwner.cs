using OaiProxy.Auth;

namespace OaiProxy.Dialects.Responses;

/// <summary>Who a stored response belongs to: the stored key, else the config key (by its id), else the trusted caller's group.</summary>
public static class ResponseOwner
{
    public static string Of(AuthResult auth, string? apiKeyId) =>
        auth.KeyId is { } keyId ? "key:" + keyId
        : apiKeyId is not null ? $"config:{auth.Group}:{apiKeyId}"
        : "group:" + auth.Group;
}
