namespace OaiProxy.Auth;

/// <summary>
/// Asks validators in order and takes the first acceptance. Stored keys (exact digest matches) come before the
/// configured validator, so a catch-all such as <c>AllowAll</c> or a slow HTTP check never hides a stored key's identity.
/// </summary>
internal sealed class CompositeApiKeyValidator(IReadOnlyList<IApiKeyValidator> validators) : IApiKeyValidator
{
    public async ValueTask<AuthResult?> ValidateAsync(string apiKey, CancellationToken cancellationToken)
    {
        foreach (var validator in validators)
        {
            if (await validator.ValidateAsync(apiKey, cancellationToken) is { } result) return result;
        }
        return null;
    }
}
