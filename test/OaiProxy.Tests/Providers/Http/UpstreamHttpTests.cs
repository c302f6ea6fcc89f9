using OaiProxy.Providers.Http;

namespace OaiProxy.Tests.Providers.Http;

public class UpstreamHttpTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 40_000).Select(i => (byte)('a' + i % 26)).ToArray();

    /// <summary>Hands out at most 1,000 bytes per read, as a socket does, and hides its length.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1_000)], cancellationToken);
    }

    [Fact]
    public async Task ReadBoundedAsync_ContentLength_ReadsWholeBody()
    {
        using var sut = new StreamContent(new TrickleStream(Payload));
        sut.Headers.ContentLength = Payload.Length;

        var body = await UpstreamHttp.ReadBoundedAsync(sut, UpstreamHttp.MaxResponseBytes, CancellationToken.None);

        Assert.Equal(Payload, body);
    }

    [Fact]
    public async Task ReadBoundedAsync_NoContentLength_ReadsWholeBody()
    {
        using var sut = new StreamContent(new TrickleStream(Payload));

        var body = await UpstreamHttp.ReadBoundedAsync(sut, UpstreamHttp.MaxResponseBytes, CancellationToken.None);

        Assert.Equal(Payload, body);
    }

    [Fact]
    public async Task ReadBoundedAsync_OverLimit_ReturnsNull()
    {
        using var withLength = new StreamContent(new TrickleStream(Payload));
        withLength.Headers.ContentLength = Payload.Length;
        using var withoutLength = new StreamContent(new TrickleStream(Payload));

        Assert.Null(await UpstreamHttp.ReadBoundedAsync(withLength, 10_000, CancellationToken.None));
        Assert.Null(await UpstreamHttp.ReadBoundedAsync(withoutLength, 10_000, CancellationToken.None));
    }

    [Fact]
    public async Task ReadBoundedAsync_BodyShorterThanLength_ReturnsWhatCame()
    {
        using var sut = new StreamContent(new TrickleStream(Payload[..500]));
        sut.Headers.ContentLength = 1_000;

        var body = await UpstreamHttp.ReadBoundedAsync(sut, UpstreamHttp.MaxResponseBytes, CancellationToken.None);

        Assert.Equal(Payload[..500], body);
    }
}
