using System.Text;
using OaiProxy.Streaming;

namespace OaiProxy.Tests.Streaming;

public sealed class SseReaderTests
{
    /// <summary>Delivers a byte array in pieces of a fixed size, as a network would.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static async Task<List<(string Event, string Data)>> ReadAllAsync(string text, int chunk)
    {
        using var sut = new SseReader(new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk));
        var events = new List<(string, string)>();
        while (await sut.ReadAsync(CancellationToken.None))
        {
            events.Add((Encoding.UTF8.GetString(sut.EventName.Span), Encoding.UTF8.GetString(sut.Data.Span)));
        }
        return events;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task ReadAsync_SplitAnywhere_YieldsSameEvents(int chunk)
    {
        var text = "event: message_start\ndata: {\"a\":1}\n\n: keep-alive\n\ndata: line1\ndata: line2\n\r\ndata:nospace\r\n\r\nevent: x\rdata: cr-only\r\r";
        var events = await ReadAllAsync(text, chunk);
        Assert.Equal(
            [("message_start", "{\"a\":1}"), ("", "line1\nline2"), ("", "nospace"), ("x", "cr-only")],
            events);
    }

    [Fact]
    public async Task ReadAsync_EventWithoutBlankLineAtEof_IsDroppedAndReported()
    {
        using var sut = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes("data: a\n\ndata: partial")));
        Assert.True(await sut.ReadAsync(CancellationToken.None));
        Assert.False(await sut.ReadAsync(CancellationToken.None));
        Assert.True(sut.EndedMidEvent);
    }

    [Fact]
    public async Task ReadAsync_CleanEnd_IsNotMidEvent()
    {
        using var sut = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes("data: a\n\n")));
        Assert.True(await sut.ReadAsync(CancellationToken.None));
        Assert.False(await sut.ReadAsync(CancellationToken.None));
        Assert.False(sut.EndedMidEvent);
    }

    [Fact]
    public async Task ReadAsync_LargeEvent_GrowsBuffer()
    {
        var big = new string('x', 100_000);
        var events = await ReadAllAsync($"data: {big}\n\ndata: after\n\n", 8192);
        Assert.Equal(big, events[0].Data);
        Assert.Equal("after", events[1].Data);
    }

    [Fact]
    public async Task ReadAsync_EventOverLimit_Throws()
    {
        using var sut = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes("data: " + new string('x', 200_000))), maxEventBytes: 64 * 1024);
        await Assert.ThrowsAsync<SseEventTooLargeException>(async () => await sut.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task HasBufferedEvent_TrueWhenNextEventAlreadyRead()
    {
        using var sut = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes("data: a\n\ndata: b\n\n")));
        Assert.True(await sut.ReadAsync(CancellationToken.None));
        Assert.True(sut.HasBufferedEvent);
        Assert.True(await sut.ReadAsync(CancellationToken.None));
        Assert.False(sut.HasBufferedEvent);
    }
}
