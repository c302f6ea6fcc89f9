using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Dialects.Anthropic;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// <c>POST /messages</c> and <c>POST /messages/count_tokens</c>, Anthropic's API in: errors in Anthropic's shape;
/// native answers relayed byte for byte (each event as received); translated answers turned back from OpenAI's
/// shape into an Anthropic message or event stream.
/// </summary>
internal sealed class MessagesEndpoint(OperationRunner runner, bool countTokens)
{
    public Task HandleAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var operation = new MessagesOperation(countTokens, headers["anthropic-version"].ToString(), headers["anthropic-beta"].ToString());
        return runner.RunAsync(context, operation, WriteErrorAsync, (c, outcome, aborted) => WriteAnswerAsync(c, operation, outcome, aborted));
    }

    public static Task WriteErrorAsync(HttpContext context, ProxyError error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        return ResponseWriter.WriteJsonAsync(context, AnthropicErrorJson.ToUtf8(error, response.Headers["x-request-id"].ToString() is { Length: > 0 } id ? id : null));
    }

    private static async Task WriteAnswerAsync(HttpContext context, MessagesOperation operation, ProxyAnswer outcome, CancellationToken aborted)
    {
        var messageId = "msg_" + outcome.Log.Id["req_".Length..];
        if (!outcome.IsStream)
        {
            var json = operation.AnsweredNatively || operation.CountTokens
                ? outcome.Json
                : MessagesResponseTranslator.FromOpenAiCompletion(outcome.Json.Span, messageId, operation.Model, operation.StopSequences);
            await ResponseWriter.WriteJsonAsync(context, json);
            return;
        }
        var writer = await SseWriter.StartAsync(context, aborted);
        var translator = operation.AnsweredNatively ? null : new MessagesStreamTranslator(messageId, operation.Model, operation.StopSequences);
        while (await outcome.ReadAsync(aborted))
        {
            if (translator is null) writer.Write(outcome.Current.Span);
            else translator.Add(outcome.Current.Span, writer);
            if (!outcome.HasBufferedChunk) await writer.FlushAsync(aborted);
        }
        if (outcome.StreamError is { } error) MessagesStreamTranslator.Fail(writer, error);
        else translator?.Finish(writer);
        await writer.FlushAsync(aborted);
    }
}
