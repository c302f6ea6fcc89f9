using OaiProxy.Auth;
using OaiProxy.Errors;
using OaiProxy.Runtime;

namespace OaiProxy.Pipeline;

/// <summary>Validates a virtual key against the snapshot's validator, with the same 401s for every endpoint.</summary>
internal static class Authentication
{
    public static async ValueTask<(AuthResult? Result, ProxyError? Error)> AuthenticateAsync(string? apiKey, ProxyState state,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return (null, ProxyError.InvalidApiKey("No API key was sent. Send your virtual key as \"Authorization: Bearer KEY\"."));
        }
        var result = await state.Validator.ValidateAsync(apiKey, cancellationToken);
        return result is null
            ? (null, ProxyError.InvalidApiKey("The API key is not valid. Check the key, or ask the proxy operator for one."))
            : (result, null);
    }

    /// <summary>The answer of every endpoint while the config says <c>enabled = false</c>.</summary>
    public static ProxyError Disabled() =>
        new(503, ErrorTypes.Unavailable, ErrorCodes.ProxyDisabled, "The proxy is disabled by its configuration (enabled = false).");
}
