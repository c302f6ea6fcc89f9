using System.Buffers;
using Microsoft.AspNetCore.Http;
using OaiProxy.Errors;
using OaiProxy.Forwarding;
using OaiProxy.Streaming;

namespace OaiProxy.Endpoints;

/// <summary>
/// <c>POST /embeddings</c> and <c>POST /completions</c>: OpenAI-shaped operations whose answers are relayed as the
/// upstream sent them. Stream chunks are framed as they come (<c>text_completion</c> objects, never assumed to be
/// chat chunks), then <c>[DONE]</c>, or an error event when the stream broke after it started.
/// </summary>
internal sealed class OpenAiOperationEndpoint(OperationRunner runner, Func<ProxyOperation> create)
{
    public Task HandleAsync(HttpContext context) =>
        runner.RunAsync(context, create(), ResponseWriter.WriteErrorAsync, WriteAnswerAsync);

    private static async Task WriteAnswerAsync(HttpContext context, ChatOutcome outcome, CancellationToken aborted)
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
