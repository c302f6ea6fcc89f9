using System.Net;
using System.Net.Sockets;
using OaiProxy.Configuration;

namespace OaiProxy.Hosting;

/// <summary>
/// The addresses the standalone server binds for the config's <c>host</c>: every interface for <c>"*"</c>,
/// <c>""</c> and <c>"0.0.0.0"</c>, the address itself for an IP literal, loopback for <c>localhost</c> (any case,
/// and its subdomains, RFC 6761), and what the name resolves to for any other name. A name that resolves to nothing
/// stops start-up with a config error: it never falls back to every interface.
/// </summary>
internal static class ListenAddresses
{
    public static IReadOnlyList<IPAddress> Resolve(string host, Func<string, IPAddress[]> resolve)
    {
        if (ListenHost.IsAnyInterface(host)) return [IPAddress.Any];
        if (ListenHost.Literal(host) is { } literal) return [literal];
        if (IsLocalhost(host)) return Socket.OSSupportsIPv6 ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : [IPAddress.Loopback];
        IPAddress[] addresses;
        try
        {
            addresses = resolve(host);
        }
        catch (SocketException e)
        {
            throw Unresolved(host, e.Message);
        }
        var usable = addresses
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && Socket.OSSupportsIPv6))
            .Distinct()
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6)
            .ToList();
        return usable.Count > 0 ? usable : throw Unresolved(host, "it has no IPv4 or IPv6 address");
    }

    public static bool IsLocalhost(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    private static ConfigException Unresolved(string host, string reason) =>
        new([new ConfigError("host", $"The host name \"{host}\" cannot be resolved ({reason}); set host to an IP address of this machine, such as \"127.0.0.1\" (this machine only) or \"0.0.0.0\" (every interface).")]);
}
