using System.Text;
using OaiProxy.Requests;

namespace OaiProxy.Tests.Requests;

public sealed class DataUrlTests
{
    [Theory]
    [InlineData("data:image/png;base64,iVBORw0KGgo=", "image/png", true, "iVBORw0KGgo=", null)]
    [InlineData("data:IMAGE/JPEG;name=a.jpg;base64,/9j/4AAQ", "image/jpeg", true, "/9j/4AAQ", null)]
    [InlineData("data:application/pdf;base64, JVBERi0x ", "application/pdf", true, "JVBERi0x", null)]
    [InlineData("data:text/plain,hello%20world", "text/plain", false, "hello%20world", "hello world")]
    [InlineData("data:text/plain;charset=utf-8,caf%C3%A9", "text/plain", false, "caf%C3%A9", "café")]
    [InlineData("data:TEXT/plain,caf\u00e9 50%", "text/plain", false, "caf\u00e9 50%", "café 50%")]
    public void TryParse_Base64OrPercentEncoded_GivesMediaTypeAndPayload(string url, string mediaType, bool isBase64, string data, string? text)
    {
        Assert.True(DataUrl.TryParse(url, out var sut));
        Assert.Equal(new DataUrl(mediaType, isBase64, data), sut);
        Assert.Equal(text is null ? Convert.FromBase64String(data) : Encoding.UTF8.GetBytes(text), sut.Decode());
    }

    [Theory]
    [InlineData("data:;base64,iVBORw0KGgoAAAANSUhEUg==", "image/png")]
    [InlineData("data:;base64,iVBORw0KGgo", "image/png")]
    [InlineData("data:;base64,/9j/4AAQSkZJRg==", "image/jpeg")]
    [InlineData("data:;base64,R0lGODlh", "image/gif")]
    [InlineData("data:;base64,UklGRiQAAABXRUJQVlA4IA==", "image/webp")]
    [InlineData("data:;base64,JVBERi0xLjcK", "application/pdf")]
    [InlineData("data:;charset=binary;base64,JVBERi0xLjcK", "application/pdf")]
    [InlineData("data:,%89PNG%0D%0A%1A%0A", "image/png")]
    [InlineData("data:,%25PDF-1.7", "application/pdf")]
    public void TryParse_NoMediaType_SniffsTheBytes(string url, string mediaType)
    {
        Assert.True(DataUrl.TryParse(url, out var sut));
        Assert.Equal(mediaType, sut.MediaType);
    }

    [Theory]
    [InlineData("data:;base64,aGVsbG8gd29ybGQ=")]
    [InlineData("data:;base64,UklGRiQAAABXQVZFZm10IA==")]
    [InlineData("data:;base64,@@@@@@@@")]
    [InlineData("data:,hello")]
    public void TryParse_NoMediaTypeAndUnknownBytes_IsRefused(string url) => Assert.False(DataUrl.TryParse(url, out _));

    [Theory]
    [InlineData("https://example.com/a.png")]
    [InlineData("iVBORw0KGgo=")]
    [InlineData("data:image/png;base64")]
    [InlineData("data:image/png;base64,")]
    [InlineData("")]
    public void TryParse_NotADataUrlWithAPayload_IsRefused(string url) => Assert.False(DataUrl.TryParse(url, out _));

    [Fact]
    public void Decode_BadBase64_Throws()
    {
        Assert.True(DataUrl.TryParse("data:image/png;base64,@@@@", out var sut));
        Assert.Throws<FormatException>(() => sut.Decode());
    }
}
