namespace OaiProxy.Auth;

/// <summary>Accepts any key (lm-proxy's <c>AllowAll</c>): every caller lands in one group.</summary>
internal sealed class AllowAllApiKeyValidator(string group) : IApiKeyValidator
{
    private readonly AuthResult _result = new(group);

    public ValueTask<AuthResult?> ValidateAsync(string apiKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult<AuthResult?>(_result);
}
