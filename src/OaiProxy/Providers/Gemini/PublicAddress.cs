using System.Net;
using System.Net.Sockets;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Whether an address is on the public internet, for the SSRF guard of <see cref="GeminiImageFetcher"/>. IPv6 forms
/// that carry an IPv4 address by a standard scheme (IPv4-mapped, IPv4-compatible, SIIT, NAT64, 6to4, Teredo) are
/// judged as the IPv4 address they reach: in a DNS64/NAT64 network <c>64:ff9b::a9fe:a9fe</c> is the metadata service.
/// </summary>
internal static class PublicAddress
{
    /// <summary>Not loopback, private, link-local, CGNAT, multicast, documentation, discard or unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (IsLocalUseNat64(address)) return false;
            if (EmbeddedIpv4(address) is { } ipv4) address = ipv4;
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] == 10 || b[0] == 0 || b[0] == 127 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) ||
                     (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) ||
                     (b[0] == 192 && b[1] == 0 && b[2] == 0) || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) || b[0] >= 224);
        }
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal ||
                 (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || // 2001:db8::/32, documentation
                 (b[0] == 0x01 && b[1] == 0x00 && b.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0)); // 100::/64, discard-only
    }

    /// <summary>
    /// The IPv4 address an IPv6 address embeds: <c>::ffff:a.b.c.d</c> (mapped), <c>::ffff:0:a.b.c.d</c> (SIIT),
    /// <c>::a.b.c.d</c> (compatible, deprecated but still routed by some stacks), <c>64:ff9b::a.b.c.d</c> (NAT64),
    /// <c>2002:AABB:CCDD::/48</c> (6to4) and <c>2001:0::/32</c> (Teredo, whose client address is stored inverted);
    /// null for any other address.
    /// </summary>
    public static IPAddress? EmbeddedIpv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return null;
        var b = address.GetAddressBytes();
        if (ZeroUpTo(b, 10) && b[10] == 0xff && b[11] == 0xff) return Ipv4(b, 12);
        if (ZeroUpTo(b, 8) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0) return Ipv4(b, 12);
        if (ZeroUpTo(b, 12)) return Ipv4(b, 12);
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0) return Ipv4(b, 12);
        if (b[0] == 0x20 && b[1] == 0x02) return Ipv4(b, 2);
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            return new IPAddress([(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]]);
        }
        return null;
    }

    // 64:ff9b:1::/48 (RFC 8215) is for translators inside one network, which choose where in it the IPv4 address
    // sits (any prefix length of RFC 6052), so no address of it can be read with certainty: none is fetched.
    private static bool IsLocalUseNat64(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01;
    }

    private static bool ZeroUpTo(byte[] bytes, int end) => bytes.AsSpan(0, end).IndexOfAnyExcept((byte)0) < 0;

    private static IPAddress Ipv4(byte[] bytes, int start) => new(bytes.AsSpan(start, 4));
}
