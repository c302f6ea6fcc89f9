using System.Net;
using System.Net.Sockets;
using OaiProxy.Configuration;
using OaiProxy.Hosting;

namespace OaiProxy.Tests.Hosting;

/// <summary>What <c>host</c> binds: never every interface unless it says so (security finding 8).</summary>
public sealed class ListenAddressesTests
{
    private static IPAddress[] NoDns(string name) => throw new InvalidOperationException($"\"{name}\" should not need DNS.");

    private static IPAddress[] NotFound(string name) => throw new SocketException((int)SocketError.HostNotFound);

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("*")]
    [InlineData("")]
    public void EveryInterface_OnlyWhenTheConfigSaysSo(string host) =>
        Assert.Equal([IPAddress.Any], ListenAddresses.Resolve(host, NoDns));

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    [InlineData("::", "::")]
    public void IpLiteral_IsBoundAsWritten(string host, string expected) =>
        Assert.Equal([IPAddress.Parse(expected)], ListenAddresses.Resolve(host, NoDns));

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("LocalHost.")]
    [InlineData("proxy.localhost")]
    public void Localhost_InAnyCase_IsLoopbackOnly(string host)
    {
        var addresses = ListenAddresses.Resolve(host, NoDns);

        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.True(IPAddress.IsLoopback(a), $"{host} bound {a}"));
    }

    [Fact]
    public void HostName_IsBoundToWhatItResolvesTo_Ipv4First()
    {
        IPAddress[] Dns(string name) => name == "my-host.internal" ? [IPAddress.Parse("fd00::5"), IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.5")] : [];

        var addresses = ListenAddresses.Resolve("my-host.internal", Dns);

        Assert.Equal(Socket.OSSupportsIPv6 ? [IPAddress.Parse("10.0.0.5"), IPAddress.Parse("fd00::5")] : [IPAddress.Parse("10.0.0.5")], addresses);
    }

    [Theory]
    [InlineData("127.0.0.l")]
    [InlineData("ip6-localhost")]
    [InlineData("my-host.internal")]
    public void HostName_ThatDoesNotResolve_IsAConfigError_NeverEveryInterface(string host)
    {
        var error = Assert.Throws<ConfigException>(() => ListenAddresses.Resolve(host, NotFound));

        Assert.Equal("host", Assert.Single(error.Errors).Path);
        Assert.Contains($"\"{host}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostName_ThatResolvesToNothing_IsAConfigError() =>
        Assert.Throws<ConfigException>(() => ListenAddresses.Resolve("empty.internal", _ => []));

    [Theory]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("0177.0.0.1")]
    public void ShortOrDecimalIpv4Forms_AreNotReadAsAddresses(string host) => Assert.Null(ListenHost.Literal(host));

    [Theory]
    [InlineData("my host")]
    [InlineData("http://127.0.0.1")]
    [InlineData("127.0.0.1:8000")]
    [InlineData("-bad.example")]
    [InlineData("a..b")]
    public void NeitherAnAddressNorAName_IsRefusedByTheBinder(string host) => Assert.NotNull(ListenHost.Problem(host));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("[::1]")]
    [InlineData("*")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("ip6-localhost")]
    [InlineData("my-host.internal")]
    public void AddressesAndNames_PassTheBinder(string host) => Assert.Null(ListenHost.Problem(host));
}
