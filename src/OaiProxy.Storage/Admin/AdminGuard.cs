using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;
using OaiProxy.Endpoints;
using OaiProxy.Errors;
using OaiProxy.Runtime;

namespace OaiProxy.Storage.Admin;

/// <summary>
/// The admin API's door: 404 when no <c>master_key</c> is configured (the API does not exist), 401 unless the
/// bearer token equals it. Digests of equal length are compared in constant time, so timing tells nothing; wrong
/// keys are throttled per client address (<see cref="MasterKeyThrottle"/>), and each shut-out is logged.
/// </summary>
internal sealed partial class AdminGuard(IActiveConfig runtime, MasterKeyThrottle throttle, ILogger logger)
{
    public ProxyError? Check(HttpContext context)
    {
        var masterKey = runtime.Current.MasterKey;
        if (masterKey is null)
        {
            return new ProxyError(404, ErrorTypes.InvalidRequest, "unknown_url",
                $"Unknown request URL: {context.Request.Method} {context.Request.Path}. The admin API is off; set master_key in the config to turn it on.");
        }
        var address = context.Connection.RemoteIpAddress;
        if (throttle.RetryAfter(address) is { } wait)
        {
            return new ProxyError(429, ErrorTypes.RateLimit, ErrorCodes.RateLimitExceeded,
                $"Too many wrong master keys came from this address; retry after {Math.Ceiling(wait.TotalSeconds)} s with the proxy's master_key.")
            { RetryAfter = wait };
        }
        var presented = ModuleEndpoints.PresentedKey(context);
        if (string.IsNullOrEmpty(presented))
        {
            return ProxyError.InvalidApiKey("The admin API needs the master key; send it as \"Authorization: Bearer MASTER_KEY\".");
        }
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(masterKey));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            throttle.Succeeded(address);
            return null;
        }
        var (failures, shutOut) = throttle.Failed(address);
        if (shutOut is { } delay) LogShutOut(logger, MasterKeyThrottle.Key(address).ToString(), failures, Math.Ceiling(delay.TotalSeconds));
        return ProxyError.InvalidApiKey("The master key is not valid; send the proxy's master_key as \"Authorization: Bearer MASTER_KEY\".");
    }

    [LoggerMessage(EventId = LogEvents.AdminKeyThrottled, Level = LogLevel.Warning,
        Message = "{Failures} wrong master keys in a row from {Address}; its admin requests are refused for {Seconds} s.")]
    private static partial void LogShutOut(ILogger logger, string address, int failures, double seconds);
}
