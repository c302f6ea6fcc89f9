using System.Net;
using OaiProxy.Providers.Gemini;

namespace OaiProxy.Tests.Providers.Gemini;

public sealed class GeminiMediaTests
{
    [Theory]
    [InlineData("data:image/png;base64,iVBORw0KGgo=", "image/png", "iVBORw0KGgo=")]
    [InlineData("data:IMAGE/JPEG;name=a.jpg;base64,/9j/4AAQ", "image/jpeg", "/9j/4AAQ")]
    [InlineData("data:;base64,R0lGODlh", "image/gif", "R0lGODlh")]
    [InlineData("data:application/pdf;base64,JVBERi0x", "application/pdf", "JVBERi0x")]
    public void FromDataUrl_Base64_GivesMimeAndData(string url, string mime, string data) =>
        Assert.Equal(new GeminiMedia(mime, data), GeminiMedia.FromDataUrl(url));

    [Theory]
    [InlineData("data:text/plain,hello")]
    [InlineData("data:image/png;base64,")]
    [InlineData("https://example.com/a.png")]
    public void FromDataUrl_NotBase64Media_IsNull(string url) => Assert.Null(GeminiMedia.FromDataUrl(url));

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    public void IsPublic_RefusesInternalRanges(string address, bool expected) =>
        Assert.Equal(expected, PublicAddress.IsPublic(IPAddress.Parse(address)));
}
