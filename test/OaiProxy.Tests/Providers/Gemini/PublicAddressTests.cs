using System.Net;
using OaiProxy.Providers.Gemini;

namespace OaiProxy.Tests.Providers.Gemini;

/// <summary>
/// IPv6 forms that carry an IPv4 address (translation and tunnelling prefixes) are judged as the IPv4 address they
/// reach, so none of them is a way around the SSRF filter (security finding 15).
/// </summary>
public sealed class PublicAddressTests
{
    [Theory]
    [InlineData("64:ff9b::a9fe:a9fe")]      // the cloud metadata address through NAT64
    [InlineData("64:ff9b::a00:1")]          // 10.0.0.1
    [InlineData("64:ff9b::7f00:1")]         // 127.0.0.1
    [InlineData("64:ff9b::c0a8:101")]       // 192.168.1.1
    public void Nat64WellKnownPrefix_PrivateIpv4_IsNotPublic(string address) => AssertNotPublic(address);

    [Theory]
    [InlineData("64:ff9b:1::a00:1")]
    [InlineData("64:ff9b:1:7f00:1::")]
    [InlineData("64:ff9b:1::808:808")]      // local-use: where the IPv4 address sits depends on the network, so none is fetched
    public void Nat64LocalUsePrefix_IsNotPublic(string address) => AssertNotPublic(address);

    [Theory]
    [InlineData("2002:7f00:1::1")]          // 127.0.0.1
    [InlineData("2002:a9fe:a9fe::")]        // 169.254.169.254
    [InlineData("2002:c0a8:101:1::1")]      // 192.168.1.1
    public void SixToFour_PrivateIpv4_IsNotPublic(string address) => AssertNotPublic(address);

    [Theory]
    [InlineData("::7f00:1")]                // ::127.0.0.1
    [InlineData("::a9fe:a9fe")]             // ::169.254.169.254
    [InlineData("::a00:1")]                 // ::10.0.0.1
    public void Ipv4Compatible_PrivateIpv4_IsNotPublic(string address) => AssertNotPublic(address);

    [Theory]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    public void Ipv4Mapped_PrivateIpv4_IsNotPublic(string address) => AssertNotPublic(address);

    [Theory]
    [InlineData("::ffff:0:7f00:1")]         // 127.0.0.1
    [InlineData("::ffff:0:a9fe:a9fe")]      // 169.254.169.254
    [InlineData("::ffff:0:a00:1")]          // 10.0.0.1
    public void Siit_PrivateIpv4_IsNotPublic(string address) => AssertNotPublic(address);

    [Theory]
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe")] // client 127.0.0.1 (XORed: 80ff:fffe)
    [InlineData("2001:0:4136:e378:8000:63bf:5601:5601")] // client 169.254.169.254
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fffe")] // client 10.0.0.1
    public void Teredo_PrivateClientIpv4_IsNotPublic(string address) => AssertNotPublic(address);

    [Theory]
    [InlineData("100::1")]                  // discard-only prefix
    [InlineData("::")]
    [InlineData("::1")]
    public void OtherSpecialIpv6_IsNotPublic(string address) => AssertNotPublic(address);

    [Theory]
    [InlineData("64:ff9b::808:808", "8.8.8.8")]
    [InlineData("2002:808:808::1", "8.8.8.8")]
    [InlineData("::808:808", "8.8.8.8")]
    [InlineData("::ffff:8.8.8.8", "8.8.8.8")]
    [InlineData("::ffff:0:808:808", "8.8.8.8")]
    [InlineData("2001:0:4136:e378:8000:63bf:f7f7:f7f7", "8.8.8.8")]
    public void EmbeddedPublicIpv4_IsPublic_AndReadAsThatAddress(string address, string ipv4)
    {
        Assert.Equal(IPAddress.Parse(ipv4), PublicAddress.EmbeddedIpv4(IPAddress.Parse(address)));
        Assert.True(PublicAddress.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:81b::200e")]
    public void OrdinaryGlobalIpv6_IsPublic_AndEmbedsNothing(string address)
    {
        Assert.Null(PublicAddress.EmbeddedIpv4(IPAddress.Parse(address)));
        Assert.True(PublicAddress.IsPublic(IPAddress.Parse(address)));
    }

    private static void AssertNotPublic(string address) =>
        Assert.False(PublicAddress.IsPublic(IPAddress.Parse(address)), $"{address} was treated as a public address.");
}
