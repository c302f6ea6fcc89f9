using System.Text.Json.Nodes;
using static OaiProxy.Testing.Responses.ResponsesEventSchemas;

namespace OaiProxy.Testing.Responses;

/// <summary>
/// The order rules of a Responses stream (OpenAI's streaming guide and section 7.2 of docs agent-clients.md): strictly
/// increasing <c>sequence_number</c>; <c>response.created</c> first, then <c>response.in_progress</c> (a
/// <c>response.queued</c> may come between); items added in <c>output_index</c> order, each item's events between its
/// <c>output_item.added</c> and <c>output_item.done</c> with the same <c>item_id</c>; one response id, model and
/// created_at throughout; exactly one terminal event, last, whose response status matches it and whose <c>output</c>
/// holds exactly the items of the <c>output_item.done</c> events (the Agents SDK reads the run's items from there).
/// A stream may instead end with an <c>error</c> event.
/// </summary>
internal sealed class ResponsesStreamOrder(JsonShape shape)
{
    private readonly List<ResponsesItemStream> _items = [];
    private ResponsesSseEvent? _first;
    private ResponsesSseEvent? _end;
    private long? _sequence;
    private bool _started;

    public void Check(IReadOnlyList<ResponsesSseEvent> events)
    {
        var trailing = new List<ResponsesSseEvent>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            Sequence(e);
            if (_end is not null)
            {
                trailing.Add(e);
                continue;
            }
            Lifecycle(e, i == 0 ? null : events[i - 1]);
            if (e.Data["response"] is JsonObject response) Snapshot(e, response);
            if (e.Type is ItemAdded or ItemDone) ItemBoundary(e);
            else if (ItemTypeOf(e.Type) is not null) ItemEvent(e);
            if (Terminals.ContainsKey(e.Type) || e.Type == Error) _end = e;
        }
        if (trailing.Count > 0)
        {
            var more = trailing.Count > 1 ? $" and {trailing.Count - 1} later events" : "";
            shape.Add(trailing[0].Label + more, $"{(trailing.Count > 1 ? "come" : "comes")} after the stream's last event {_end!.Label}; nothing may follow it");
        }
        if (events.Count > 0 && _end is null) shape.Add("stream", "ends without a terminal event (response.completed, response.incomplete or response.failed)");
    }

    private void Sequence(ResponsesSseEvent e)
    {
        if (JsonShape.Integer(e.Data["sequence_number"]) is not { } sequence) return;
        if (_sequence is { } previous && sequence <= previous) shape.Add(e.Label, $"sequence_number {sequence} is not greater than the previous event's {previous}");
        _sequence = sequence;
    }

    private void Lifecycle(ResponsesSseEvent e, ResponsesSseEvent? previous)
    {
        if (previous is null)
        {
            if (e.Type != Created) shape.Add(e.Label, "the first event must be response.created");
        }
        else if (e.Type == Created)
        {
            shape.Add(e.Label, "response.created must be the first event, and only once");
        }
        else if (!_started)
        {
            if (e.Type == InProgress) _started = true;
            else if (e.Type != Queued && e.Type != Error)
            {
                shape.Add(e.Label, "comes before response.in_progress; response.created is followed by response.in_progress (after an optional response.queued)");
                _started = true; // reported once, not for every later event
            }
        }
    }

    private void Snapshot(ResponsesSseEvent e, JsonObject response)
    {
        _first ??= e;
        var first = (JsonObject)_first.Data["response"]!;
        foreach (var key in (string[])["id", "model", "created_at"])
        {
            var value = response[key]?.ToJsonString();
            var expected = first[key]?.ToJsonString();
            if (value != expected) shape.Add(e.Label, $"response.{key} {value} differs from {expected} in {_first.Label}; one response throughout");
        }
        var status = response["status"]?.ToString();
        var want = Terminals.TryGetValue(e.Type, out var terminal) ? terminal : e.Type == Queued ? "queued" : "in_progress";
        if (status != want) shape.Add(e.Label, $"response.status must be \"{want}\" here, got \"{status}\"");
        if (terminal is not null) TerminalOutput(e, response);
    }

    private void ItemBoundary(ResponsesSseEvent e)
    {
        if (e.Data["item"] is not JsonObject item || JsonShape.Integer(e.Data["output_index"]) is not { } index) return;
        var id = item["id"]?.ToString() ?? "";
        var type = item["type"]?.ToString() ?? "";
        if (e.Type == ItemAdded)
        {
            if (index != _items.Count) shape.Add(e.Label, $"output_index {index} is out of order; items are added in output_index order from 0 (expected {_items.Count})");
            else if (_items.Any(i => i.Id == id)) shape.Add(e.Label, $"item id \"{id}\" was already used by another item");
            else _items.Add(new ResponsesItemStream(id, type));
            return;
        }
        if (Opened(e, index, id) is not { } stream) return;
        if (stream.Type != type) shape.Add(e.Label, $"item type \"{type}\" differs from the added item's \"{stream.Type}\"");
        stream.Close(e, item, shape);
    }

    private void ItemEvent(ResponsesSseEvent e)
    {
        if (JsonShape.Integer(e.Data["output_index"]) is not { } index) return;
        if (Opened(e, index, e.Data["item_id"]?.ToString() ?? "") is not { } stream) return;
        var allowed = e.Type.StartsWith("response.content_part.", StringComparison.Ordinal) ? ["message", "reasoning"] : new[] { ItemTypeOf(e.Type)! };
        if (!allowed.Contains(stream.Type)) shape.Add(e.Label, $"does not belong to output item {index}, a {stream.Type}");
        else stream.Apply(e, shape);
    }

    /// <summary>The open item at <paramref name="index"/> whose id is <paramref name="id"/>, or null after a violation.</summary>
    private ResponsesItemStream? Opened(ResponsesSseEvent e, long index, string id)
    {
        if (index < 0 || index >= _items.Count)
        {
            shape.Add(e.Label, $"refers to output_index {index}, which no response.output_item.added opened");
            return null;
        }
        var stream = _items[(int)index];
        if (stream.Id != id) shape.Add(e.Label, $"item id \"{id}\" does not match \"{stream.Id}\", the item added at output_index {index}");
        if (!stream.Done) return stream;
        shape.Add(e.Label, $"comes after response.output_item.done of output item {index}");
        return null;
    }

    private void TerminalOutput(ResponsesSseEvent e, JsonObject response)
    {
        // A failed response may leave the item it failed in open (the upstream cut it); a finished one may not.
        if (e.Type != "response.failed")
        {
            foreach (var open in _items.Where(i => !i.Done)) shape.Add(e.Label, $"output item \"{open.Id}\" was never closed by response.output_item.done");
        }
        if (response["output"] is not JsonArray output) return;
        var done = _items.Where(i => i.Done).Select(i => i.DoneItem!).ToList();
        if (output.Count != done.Count)
        {
            shape.Add(e.Label, $"response.output has {output.Count} items, but the stream closed {done.Count} with response.output_item.done; the terminal response must hold the full output");
            return;
        }
        for (var i = 0; i < done.Count; i++)
        {
            if (!JsonNode.DeepEquals(output[i], done[i])) shape.Add(e.Label, $"response.output[{i}] differs from the item of its response.output_item.done");
        }
    }
}
