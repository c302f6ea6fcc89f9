using System.Buffers;
using Microsoft.AspNetCore.Http;
using OaiProxy.Errors;
using OaiProxy.Streaming;

namespace OaiProxy.Dialects.OpenAi;

/// <summary>
/// OpenAI's shapes for chat completions, legacy completions and embeddings: errors as <c>{"error":{...}}</c>, each
/// stream event framed as <c>data: ...</c>, then <c>[DONE]</c>, or an error event when the stream broke after it
/// started (never a silent end that looks complete).
/// </summary>
internal sealed class OpenAiAnswerWriter(HttpContext context) : HttpAnswerWriter(context)
{
    protected override ReadOnlyMemory<byte> ErrorBody(ProxyError error) => ProxyErrorJson.ToUtf8(error);

    public override void WriteEvent(ReadOnlySpan<byte> data) => SseWriter.WriteData(Events, data);

    public override ValueTask WriteStreamEndAsync(CancellationToken cancellationToken)
    {
        Events.Write(SseFraming.DoneEvent);
        return ValueTask.CompletedTask;
    }

    public override void WriteStreamError(ProxyError error) => SseWriter.WriteData(Events, ProxyErrorJson.ToUtf8(error));
}
