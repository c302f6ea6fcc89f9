using System.Buffers;
using Microsoft.AspNetCore.Http;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Streaming;

namespace OaiProxy.Dialects.OpenAi;

/// <summary>
/// <c>POST /chat/completions</c>, <c>/embeddings</c> and <c>/completions</c>: OpenAI-shaped operations. Stream chunks
/// (chat or <c>text_completion</c>) are framed as they come, with a flush whenever no further chunk is already
/// buffered, so nothing waits in the proxy; then <c>[DONE]</c>, or an error event when the stream broke after it
/// started (never a silent end that looks complete).
/// </summary>
internal sealed class OpenAiOperationEndpoint(OperationRunner runner, Func<ProxyOperation> create)
{
    public Task HandleAsync(HttpContext context) =>
        runner.RunAsync(context, create(), ResponseWriter.WriteErrorAsync, WriteAnswerAsync);

    private static async Task WriteAnswerAsync(HttpContext context, ProxyAnswer outcome, CancellationToken aborted)
    {
        if (!outcome.IsStream)
        {
            await ResponseWriter.WriteJsonAsync(context, outcome.Json);
            return;
        }
        var writer = await SseWriter.StartAsync(context, aborted);
        while (await outcome.ReadAsync(aborted))
        {
            SseWriter.WriteData(writer, outcome.Current.Span);
            if (!outcome.HasBufferedChunk) await writer.FlushAsync(aborted);
        }
        if (outcome.StreamError is { } error) SseWriter.WriteData(writer, ProxyErrorJson.ToUtf8(error));
        else writer.Write(SseFraming.DoneEvent);
        await writer.FlushAsync(aborted);
    }
}
