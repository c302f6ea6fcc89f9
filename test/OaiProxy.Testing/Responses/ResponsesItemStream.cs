using System.Text;
using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Responses;

/// <summary>
/// One output item while it streams: the item <c>response.output_item.added</c> opened, its parts (content parts,
/// summary parts, reasoning text, arguments, custom tool input) with their deltas, until <c>output_item.done</c>,
/// whose item must agree with what was streamed (Codex keeps the done item, the display keeps the deltas).
/// </summary>
internal sealed class ResponsesItemStream(string id, string type)
{
    private readonly Dictionary<string, Piece> _pieces = [];

    public string Id { get; } = id;

    public string Type { get; } = type;

    public bool Done { get; private set; }

    public JsonObject? DoneItem { get; private set; }

    /// <summary>Handles one event scoped to this item; adds violations under <paramref name="label"/>.</summary>
    public void Apply(ResponsesSseEvent e, JsonShape shape)
    {
        var data = e.Data;
        var label = e.Label;
        var type = e.Type;
        var (key, opensWith) = type switch
        {
            _ when type.StartsWith("response.content_part.", StringComparison.Ordinal)
                || type.StartsWith("response.output_text.", StringComparison.Ordinal)
                || type.StartsWith("response.refusal.", StringComparison.Ordinal) => ($"content:{Index(data, "content_index")}", "response.content_part.added"),
            _ when type.StartsWith("response.reasoning_summary_", StringComparison.Ordinal) => ($"summary:{Index(data, "summary_index")}", "response.reasoning_summary_part.added"),
            _ when type.StartsWith("response.reasoning_text.", StringComparison.Ordinal) => ($"reasoning:{Index(data, "content_index")}", null),
            _ when type.StartsWith("response.function_call_arguments.", StringComparison.Ordinal) => ("arguments", null),
            _ => ("input", (string?)null),
        };
        if (type == opensWith)
        {
            var kind = key[..key.IndexOf(':', StringComparison.Ordinal)];
            var expected = _pieces.Keys.Count(k => k.StartsWith(kind + ":", StringComparison.Ordinal));
            if (_pieces.ContainsKey(key) || key != $"{kind}:{expected}") shape.Add(label, $"opens {key} out of order; parts are added once each, in index order starting at 0 (expected {kind}:{expected})");
            _pieces[key] = new Piece();
            return;
        }
        if (!_pieces.TryGetValue(key, out var piece))
        {
            if (opensWith is not null)
            {
                shape.Add(label, $"refers to {key}, which no {opensWith} opened");
                return;
            }
            _pieces[key] = piece = new Piece();
        }
        if (piece.Closed)
        {
            shape.Add(label, $"comes after {key} was closed");
            return;
        }
        if (type.EndsWith(".delta", StringComparison.Ordinal))
        {
            piece.Deltas.Append(data["delta"]?.ToString());
            piece.HasDeltas = true;
        }
        else if (FinalText(data) is { } final)
        {
            if (piece.HasDeltas && final != piece.Deltas.ToString()) shape.Add(label, $"final text \"{final}\" differs from the concatenated deltas \"{piece.Deltas}\"");
            piece.Final = final;
            // The summary and content parts close with their .part.done event; the others close with their .done event.
            piece.Closed = opensWith is null || type.EndsWith("part.done", StringComparison.Ordinal);
        }
    }

    /// <summary>Closes the item with the <c>output_item.done</c> event's item.</summary>
    public void Close(ResponsesSseEvent e, JsonObject item, JsonShape shape)
    {
        Done = true;
        DoneItem = item;
        foreach (var key in _pieces.Where(p => !p.Value.Closed).Select(p => p.Key))
        {
            shape.Add(e.Label, $"closes the item before its {key} got its closing event (.done, or .part.done for parts)");
        }
        foreach (var (key, piece) in _pieces)
        {
            var streamed = piece.Final ?? piece.Deltas.ToString();
            var recorded = Recorded(item, key);
            if (recorded != streamed) shape.Add(e.Label, $"item {key} is \"{recorded}\" but the stream sent \"{streamed}\"");
        }
        var parts = _pieces.Keys.Count(k => k.StartsWith("content:", StringComparison.Ordinal));
        if (Type == "message" && parts > 0 && item["content"] is JsonArray content && content.Count != parts)
        {
            shape.Add(e.Label, $"item has {content.Count} content parts, but the stream opened {parts}");
        }
    }

    private static string? Recorded(JsonObject item, string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return item[key]?.ToString();
        var list = key[..colon] switch { "summary" => item["summary"], _ => item["content"] } as JsonArray;
        var i = int.Parse(key[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return list is not null && i < list.Count && list[i] is JsonObject part ? (part["text"] ?? part["refusal"])?.ToString() : null;
    }

    /// <summary>The final text a .done or .part.done event carries.</summary>
    private static string? FinalText(JsonObject data) =>
        (data["text"] ?? data["refusal"] ?? data["arguments"] ?? data["input"] ?? data["part"]?["text"] ?? data["part"]?["refusal"])?.ToString();

    private static long Index(JsonObject data, string key) => JsonShape.Integer(data[key]) ?? -1;

    private sealed class Piece
    {
        public StringBuilder Deltas { get; } = new();

        public bool HasDeltas { get; set; }

        public string? Final { get; set; }

        public bool Closed { get; set; }
    }
}
