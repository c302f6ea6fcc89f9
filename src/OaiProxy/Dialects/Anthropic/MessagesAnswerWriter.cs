using System.Buffers;
using Microsoft.AspNetCore.Http;
using OaiProxy.Errors;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// Anthropic's shapes for <c>/messages</c> and <c>/messages/count_tokens</c>: errors as Anthropic errors; native
/// answers relayed byte for byte (each event as received); translated answers turned back from OpenAI's shape
/// into an Anthropic message or event stream.
/// </summary>
internal sealed class MessagesAnswerWriter(HttpContext context, MessagesOperation operation) : HttpAnswerWriter(context)
{
    private MessagesStreamTranslator? _translator;

    private string MessageId => "msg_" + Answer.Log.Id["req_".Length..];

    protected override ReadOnlyMemory<byte> ErrorBody(ProxyError error) =>
        AnthropicErrorJson.ToUtf8(error, Context.Response.Headers["x-request-id"].ToString() is { Length: > 0 } id ? id : null);

    public override Task WriteJsonAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        base.WriteJsonAsync(operation.AnsweredNatively || operation.CountTokens
            ? json
            : MessagesResponseTranslator.FromOpenAiCompletion(json.Span, MessageId, operation.Model, operation.StopSequences), cancellationToken);

    public override async Task StartStreamAsync(CancellationToken cancellationToken)
    {
        await base.StartStreamAsync(cancellationToken);
        if (!operation.AnsweredNatively) _translator = new MessagesStreamTranslator(MessageId, operation.Model, operation.StopSequences);
    }

    public override void WriteEvent(ReadOnlySpan<byte> data)
    {
        if (_translator is null) Events.Write(data);
        else _translator.Add(data, Events);
    }

    public override ValueTask WriteStreamEndAsync(CancellationToken cancellationToken)
    {
        _translator?.Finish(Events);
        return ValueTask.CompletedTask;
    }

    public override void WriteStreamError(ProxyError error) => MessagesStreamTranslator.Fail(Events, error);
}
