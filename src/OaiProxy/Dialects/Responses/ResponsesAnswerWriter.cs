using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OaiProxy.Errors;
using OaiProxy.Requests;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// OpenAI's Responses shapes: errors as OpenAI errors; answers of a Responses upstream relayed as received, events
/// included; translated answers built from chat (<see cref="ResponsesStreamTranslator"/>,
/// <see cref="ResponsesCompletionTranslator"/>). A stored response is durable before its terminal event (or its JSON)
/// leaves, so a client's next request with <c>previous_response_id</c> always finds it.
/// </summary>
internal sealed class ResponsesAnswerWriter(HttpContext context, ResponsesOperation operation, TimeProvider time) : HttpAnswerWriter(context)
{
    private ResponseContext? _response;
    private ResponsesStreamTranslator? _translator;
    private byte[]? _heldTerminal;
    private readonly RelayedStreamProgress _relayed = new();

    private ResponseContext Response => _response ??= new ResponseContext(ResponsesIds.Response(Answer.Log.Id), time.GetUtcNow().ToUnixTimeSeconds(),
        operation.Model, operation.Body.Root, operation.PreviousResponseId, operation.Store, operation.Seal);

    protected override ReadOnlyMemory<byte> ErrorBody(ProxyError error) => ProxyErrorJson.ToUtf8(error);

    public override async Task WriteJsonAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        if (operation.AnsweredNatively)
        {
            if (operation.PreviousIdWrittenIn is { } previousId) json = PreviousResponseEcho.InResponse(json.Span, previousId);
            if (operation.Store) await SaveNativeAsync(json, cancellationToken);
            await base.WriteJsonAsync(json, cancellationToken);
            return;
        }
        var (resource, output) = ResponsesCompletionTranslator.ToResponse(json.Span, Response, operation.Tools, time.GetUtcNow().ToUnixTimeSeconds());
        if (operation.Store) await operation.SaveAsync(Response.Id, Encoding.UTF8.GetString(resource), Stored(output), cancellationToken);
        await base.WriteJsonAsync(resource, cancellationToken);
    }

    public override async Task StartStreamAsync(CancellationToken cancellationToken)
    {
        await base.StartStreamAsync(cancellationToken);
        if (operation.AnsweredNatively) return;
        _translator = new ResponsesStreamTranslator(Response, operation.Tools);
        _translator.Start(Events);
    }

    public override void WriteEvent(ReadOnlySpan<byte> data)
    {
        if (_translator is not null)
        {
            _translator.Add(data);
            return;
        }
        _relayed.Observe(data);
        if (operation.PreviousIdWrittenIn is { } previousId && CarriesResponse(data))
        {
            var echoed = PreviousResponseEcho.InFrame(data, previousId);
            if (echoed is not null)
            {
                if (IsTerminal(echoed)) _heldTerminal = echoed;
                else Events.Write(echoed);
                return;
            }
        }
        // The upstream's terminal event waits until the response is stored (WriteStreamEndAsync, right after it).
        if (IsTerminal(data)) _heldTerminal = data.ToArray();
        else Events.Write(data);
    }

    public override async ValueTask WriteStreamEndAsync(CancellationToken cancellationToken)
    {
        if (_translator is null)
        {
            if (_heldTerminal is null) return;
            if (operation.Store && Data(_heldTerminal) is { } terminal && ResponseOf(terminal) is { } resource) await SaveNativeAsync(resource, cancellationToken);
            Events.Write(_heldTerminal);
            return;
        }
        _translator.Finish();
        var completedAt = time.GetUtcNow().ToUnixTimeSeconds();
        if (operation.Store)
        {
            var buffer = new ArrayBufferWriter<byte>(2048);
            using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
            {
                ResponseResource.Write(w, Response, _translator.IncompleteReason is null ? "completed" : "incomplete", _translator.Output, _translator.Usage,
                    incompleteReason: _translator.IncompleteReason, completedAt: _translator.IncompleteReason is null ? completedAt : null);
            }
            await operation.SaveAsync(Response.Id, Encoding.UTF8.GetString(buffer.WrittenSpan), Stored(_translator.Output), cancellationToken);
        }
        _translator.WriteTerminal(completedAt);
    }

    public override void WriteStreamError(ProxyError error)
    {
        if (_translator is not null)
        {
            _translator.Fail(error);
            return;
        }
        // A relayed stream broke: one closing event after the upstream's last sequence number, never a silent end.
        Events.Write(_relayed.Closing(error, operation.PreviousIdWrittenIn));
    }

    private IEnumerable<StoredItem> Stored(IReadOnlyList<OutputItem> output) => output.Select(item => new StoredItem(item.Id, ItemJson(item)));

    private string ItemJson(OutputItem item)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            item.Write(w, operation.Seal);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Stores a Responses upstream's own response under its id, with its output items as it sent them.</summary>
    private Task SaveNativeAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var reader = new Utf8JsonReader(json.Span);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (JsonFields.String(root, "id") is not { } id) return Task.CompletedTask;
        var output = new List<StoredItem>();
        if (JsonFields.TryGet(root, "output", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray()) output.Add(new StoredItem(JsonFields.String(item, "id") ?? ResponsesIds.New("item_"), item.GetRawText()));
        }
        return operation.SaveAsync(id, root.GetRawText(), output, cancellationToken);
    }

    private static bool CarriesResponse(ReadOnlySpan<byte> frame) =>
        IsTerminal(frame) || frame.StartsWith("event: response.created\n"u8) || frame.StartsWith("event: response.in_progress\n"u8) || frame.StartsWith("event: response.queued\n"u8);

    private static bool IsTerminal(ReadOnlySpan<byte> frame) =>
        frame.StartsWith("event: response.completed\n"u8) || frame.StartsWith("event: response.incomplete\n"u8) || frame.StartsWith("event: response.failed\n"u8);

    /// <summary>The data line of a relayed event frame.</summary>
    private static byte[]? Data(ReadOnlySpan<byte> frame)
    {
        var start = frame.IndexOf("data: "u8);
        if (start < 0) return null;
        var data = frame[(start + 6)..];
        var end = data.IndexOf((byte)'\n');
        return (end < 0 ? data : data[..end]).ToArray();
    }

    private static byte[]? ResponseOf(byte[] data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return JsonFields.TryGet(document.RootElement, "response", out var response) ? Encoding.UTF8.GetBytes(response.GetRawText()) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
