using OaiProxy.Auth;

namespace OaiProxy.Storage.Keys;

/// <summary>Accepts stored keys from the in-memory <see cref="KeyCache"/>; asked before the configured validator.</summary>
internal sealed class StoredKeyValidator(KeyCache cache) : IApiKeyValidator
{
    public ValueTask<AuthResult?> ValidateAsync(string apiKey, CancellationToken cancellationToken) =>
        cache.FindOrCatchUpAsync(apiKey, cancellationToken);
}
