using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using OaiProxy.Endpoints;
using OaiProxy.Errors;
using OaiProxy.Runtime;

namespace OaiProxy.Storage.Admin;

/// <summary>
/// The admin API's door: 404 when no <c>master_key</c> is configured (the API does not exist), 401 unless the
/// bearer token equals it. Digests of equal length are compared in constant time, so timing tells nothing.
/// </summary>
internal static class AdminGuard
{
    public static ProxyError? Check(HttpContext context, IActiveConfig runtime)
    {
        var masterKey = runtime.Current.MasterKey;
        if (masterKey is null)
        {
            return new ProxyError(404, ErrorTypes.InvalidRequest, "unknown_url",
                $"Unknown request URL: {context.Request.Method} {context.Request.Path}. The admin API is off; set master_key in the config to turn it on.");
        }
        var presented = ModuleEndpoints.PresentedKey(context);
        if (string.IsNullOrEmpty(presented))
        {
            return ProxyError.InvalidApiKey("The admin API needs the master key; send it as \"Authorization: Bearer MASTER_KEY\".");
        }
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(masterKey));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(expected, actual)
            ? null
            : ProxyError.InvalidApiKey("The master key is not valid; send the proxy's master_key as \"Authorization: Bearer MASTER_KEY\".");
    }
}
