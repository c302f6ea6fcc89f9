namespace OaiProxy.Auth;

/// <summary>
/// Decides whether a virtual key may use the proxy and which group it belongs to. A custom validator is a public
/// type with this interface and a constructor taking nothing or a <c>System.Text.Json.Nodes.JsonObject</c> of settings.
/// </summary>
public interface IApiKeyValidator
{
    /// <summary>The caller's group, or null to reject the key.</summary>
    ValueTask<AuthResult?> ValidateAsync(string apiKey, CancellationToken cancellationToken);
}
