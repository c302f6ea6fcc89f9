using System.Text.Json.Nodes;

namespace OaiProxy.Testing.OpenAi;

/// <summary>The events the Responses API streams for one output item, in its order (sequence numbers come later).</summary>
internal static class ResponsesItemEvents
{
    public static List<JsonObject> For(JsonObject item, int index)
    {
        var id = item["id"]!.ToString();
        var type = item["type"]!.ToString();
        var events = new List<JsonObject> { Event("response.output_item.added", id, index, ("item", Opening(item))) };
        events[0].Remove("item_id");
        switch (type)
        {
            case "message":
                var content = (JsonArray)item["content"]!;
                for (var c = 0; c < content.Count; c++) events.AddRange(Part(id, index, c, (JsonObject)content[c]!));
                break;
            case "function_call":
                events.AddRange(Pieces("response.function_call_arguments", id, index, item["arguments"]!.ToString(), "arguments", ("name", item["name"]!.ToString())));
                break;
            case "custom_tool_call":
                events.AddRange(Pieces("response.custom_tool_call_input", id, index, item["input"]!.ToString(), "input"));
                break;
            case "reasoning":
                var summary = (JsonArray)item["summary"]!;
                for (var s = 0; s < summary.Count; s++) events.AddRange(Summary(id, index, s, summary[s]!["text"]!.ToString()));
                break;
        }
        var done = Event("response.output_item.done", id, index, ("item", item.DeepClone()));
        done.Remove("item_id");
        events.Add(done);
        return events;
    }

    /// <summary>The item as output_item.added carries it: in progress, its text, arguments or input still empty.</summary>
    private static JsonObject Opening(JsonObject item)
    {
        var opening = (JsonObject)item.DeepClone();
        switch (opening["type"]!.ToString())
        {
            case "message":
                opening["content"] = new JsonArray();
                break;
            case "function_call":
                opening["arguments"] = "";
                break;
            case "custom_tool_call":
                opening["input"] = "";
                break;
            case "reasoning":
                opening["summary"] = new JsonArray();
                break;
        }
        if (opening.ContainsKey("status")) opening["status"] = "in_progress";
        return opening;
    }

    private static IEnumerable<JsonObject> Part(string id, int index, int c, JsonObject part)
    {
        var refusal = part["type"]!.ToString() == "refusal";
        var empty = (JsonObject)part.DeepClone();
        empty[refusal ? "refusal" : "text"] = "";
        yield return Event("response.content_part.added", id, index, ("content_index", c), ("part", empty));
        var text = part[refusal ? "refusal" : "text"]!.ToString();
        var prefix = refusal ? "response.refusal" : "response.output_text";
        foreach (var word in OpenAiWire.SplitWords(text))
        {
            var delta = Event($"{prefix}.delta", id, index, ("content_index", c), ("delta", word));
            if (!refusal) delta["logprobs"] = new JsonArray();
            yield return delta;
        }
        var done = Event($"{prefix}.done", id, index, ("content_index", c), (refusal ? "refusal" : "text", text));
        if (!refusal) done["logprobs"] = new JsonArray();
        yield return done;
        yield return Event("response.content_part.done", id, index, ("content_index", c), ("part", part.DeepClone()));
    }

    private static IEnumerable<JsonObject> Summary(string id, int index, int s, string text)
    {
        JsonObject SummaryPart(string t) => new() { ["type"] = "summary_text", ["text"] = t };
        yield return Event("response.reasoning_summary_part.added", id, index, ("summary_index", s), ("part", SummaryPart("")));
        foreach (var word in OpenAiWire.SplitWords(text))
        {
            yield return Event("response.reasoning_summary_text.delta", id, index, ("summary_index", s), ("delta", word));
        }
        yield return Event("response.reasoning_summary_text.done", id, index, ("summary_index", s), ("text", text));
        yield return Event("response.reasoning_summary_part.done", id, index, ("summary_index", s), ("part", SummaryPart(text)));
    }

    /// <summary>Arguments or custom input: deltas of 4 characters, then the done event with the whole text.</summary>
    private static IEnumerable<JsonObject> Pieces(string prefix, string id, int index, string text, string field, params (string, JsonNode?)[] extra)
    {
        for (var start = 0; start < text.Length; start += 4)
        {
            yield return Event($"{prefix}.delta", id, index, ("delta", text.Substring(start, Math.Min(4, text.Length - start))));
        }
        yield return Event($"{prefix}.done", id, index, [.. extra, (field, text)]);
    }

    private static JsonObject Event(string type, string itemId, int index, params (string Key, JsonNode? Value)[] fields)
    {
        var e = new JsonObject { ["type"] = type, ["item_id"] = itemId, ["output_index"] = index };
        foreach (var (key, value) in fields) e[key] = value;
        return e;
    }
}
