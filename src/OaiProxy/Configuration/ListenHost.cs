using System.Net;

namespace OaiProxy.Configuration;

/// <summary>
/// The forms <c>host</c> may take: <c>"*"</c> or <c>""</c> (every interface, like <c>"0.0.0.0"</c>), an IP
/// address (IPv6 with or without brackets), or a host name of this machine, resolved at start-up. Anything else is
/// a config error, so a typo can never widen the bind to every interface.
/// </summary>
internal static class ListenHost
{
    /// <summary>The default <c>host</c>: loopback, so a proxy holding provider keys is reachable from elsewhere only when the config says so.</summary>
    public const string Default = "127.0.0.1";

    /// <summary>Every interface (<c>"*"</c>, <c>""</c>, <c>"0.0.0.0"</c>).</summary>
    public static bool IsAnyInterface(string host) => host is "*" or "" or "0.0.0.0";

    /// <summary>The IP address <paramref name="host"/> writes, in the usual notation only (no <c>127.1</c> or decimal forms); null for a name.</summary>
    public static IPAddress? Literal(string host)
    {
        var text = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (!IPAddress.TryParse(text, out var address)) return null;
        // IPAddress also reads "127.1", "2130706433" and octal parts as IPv4; none of them is how anyone means an address.
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.ToString() != text) return null;
        return address;
    }

    /// <summary>A host name as DNS allows it: labels of letters, digits and inner hyphens, 63 characters each, 253 in all.</summary>
    public static bool IsHostName(string host)
    {
        var name = host.EndsWith('.') ? host[..^1] : host;
        if (name.Length is 0 or > 253) return false;
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
        }
        return true;
    }

    /// <summary>Null when <paramref name="host"/> has one of the accepted forms; else the config error's sentence.</summary>
    public static string? Problem(string host) =>
        IsAnyInterface(host) || Literal(host) is not null || IsHostName(host)
            ? null
            : $"\"{host}\" is neither an IP address nor a host name; use \"127.0.0.1\" (this machine only), \"0.0.0.0\" (every interface) or a name of this machine.";
}
