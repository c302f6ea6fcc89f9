using System.Globalization;
using OaiProxy.Errors;

namespace OaiProxy.Pipeline;

/// <summary>The error for a body over <c>max_request_size_mb</c>.</summary>
internal static class BodyLimits
{
    public static ProxyError TooLarge(long maxBytes) =>
        new(413, ErrorTypes.InvalidRequest, ErrorCodes.BodyTooLarge,
            $"The request body is larger than the proxy's limit of {(maxBytes / (1024.0 * 1024)).ToString("0.##", CultureInfo.InvariantCulture)} MiB (max_request_size_mb); send a smaller request.");
}
