using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Runtime;

namespace OaiProxy.Pipeline;

/// <summary>
/// Validates a virtual key against the snapshot's validator, with the same 401s for every endpoint, and finds the
/// caller's group: a group the config does not define is a 403 naming it, never an unrestricted group.
/// </summary>
internal static class Authentication
{
    public static async ValueTask<(AuthResult? Result, GroupConfig? Group, ProxyError? Error)> AuthenticateAsync(string? apiKey, ProxyState state,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return (null, null, ProxyError.InvalidApiKey("No API key was sent. Send your virtual key as \"Authorization: Bearer KEY\"."));
        }
        var result = await state.Validator.ValidateAsync(apiKey, cancellationToken);
        if (result is null) return (null, null, ProxyError.InvalidApiKey("The API key is not valid. Check the key, or ask the proxy operator for one."));
        var (group, error) = GroupOf(result, state);
        return (error is null ? result : null, group, error);
    }

    /// <summary>The caller's group in the snapshot, or the 403 when the config has no group of that name.</summary>
    public static (GroupConfig? Group, ProxyError? Error) GroupOf(AuthResult auth, ProxyState state) =>
        state.Group(auth.Group) is { } group ? (group, null) : (null, GroupNotConfigured(auth.Group));

    private static ProxyError GroupNotConfigured(string group) =>
        new(403, ErrorTypes.Permission, ErrorCodes.GroupNotConfigured,
            $"Your key belongs to the group \"{group}\", which the proxy's configuration does not define, so it may use nothing; ask the proxy operator to add [groups.{group}] or to move the key to a configured group.");

    /// <summary>The answer of every endpoint while the config says <c>enabled = false</c>.</summary>
    public static ProxyError Disabled() =>
        new(503, ErrorTypes.Unavailable, ErrorCodes.ProxyDisabled, "The proxy is disabled by its configuration (enabled = false).");
}
