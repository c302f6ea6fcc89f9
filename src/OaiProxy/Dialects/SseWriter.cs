using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OaiProxy.Streaming;

namespace OaiProxy.Dialects;

/// <summary>Starts an unbuffered event-stream response and frames events on it.</summary>
internal static class SseWriter
{
    public static async Task<PipeWriter> StartAsync(HttpContext context, CancellationToken aborted)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(aborted);
        return response.BodyWriter;
    }

    /// <summary><c>data: payload</c> and the blank line.</summary>
    public static void WriteData(PipeWriter writer, ReadOnlySpan<byte> payload)
    {
        // One span for the whole event: one copy, one Advance, on the hottest path of a stream.
        var length = SseFraming.DataPrefix.Length + payload.Length + SseFraming.EventEnd.Length;
        var span = writer.GetSpan(length);
        SseFraming.DataPrefix.CopyTo(span);
        payload.CopyTo(span[SseFraming.DataPrefix.Length..]);
        SseFraming.EventEnd.CopyTo(span[(SseFraming.DataPrefix.Length + payload.Length)..]);
        writer.Advance(length);
    }

    /// <summary><c>event: name</c>, <c>data: payload</c> and the blank line (Anthropic's framing).</summary>
    public static void WriteEvent(PipeWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> payload)
    {
        writer.Write("event: "u8);
        writer.Write(name);
        writer.Write("\n"u8);
        WriteData(writer, payload);
    }
}
