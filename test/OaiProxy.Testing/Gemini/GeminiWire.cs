using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Gemini;

/// <summary>Builders for Gemini wire objects as the real API sends them.</summary>
public static class GeminiWire
{
    public static JsonObject Text(string text, bool thought = false)
    {
        var part = new JsonObject { ["text"] = text };
        if (thought) part["thought"] = true;
        return part;
    }

    /// <summary>A thought summary part, signed as Gemini signs the reasoning state it wants back.</summary>
    public static JsonObject Thought(string text, string? signature = null)
    {
        var part = Text(text, thought: true);
        if (signature is not null) part["thoughtSignature"] = signature;
        return part;
    }

    public static JsonObject Call(string name, JsonObject? args = null, string? id = null, string? signature = null)
    {
        var call = new JsonObject { ["name"] = name, ["args"] = args ?? new JsonObject() };
        if (id is not null) call["id"] = id;
        var part = new JsonObject { ["functionCall"] = call };
        if (signature is not null) part["thoughtSignature"] = signature;
        return part;
    }

    public static JsonObject Candidate(IEnumerable<JsonObject> parts, string? finishReason = "STOP", int index = 0)
    {
        var candidate = new JsonObject
        {
            ["content"] = new JsonObject { ["parts"] = new JsonArray(parts.Select(p => (JsonNode)p).ToArray()), ["role"] = "model" },
            ["index"] = index,
        };
        if (finishReason is not null) candidate["finishReason"] = finishReason;
        return candidate;
    }

    public static JsonObject Usage(int prompt, int candidates, int thoughts = 0, int cached = 0)
    {
        var usage = new JsonObject
        {
            ["promptTokenCount"] = prompt,
            ["candidatesTokenCount"] = candidates,
            ["totalTokenCount"] = prompt + candidates + thoughts,
            ["promptTokensDetails"] = new JsonArray(new JsonObject { ["modality"] = "TEXT", ["tokenCount"] = prompt }),
        };
        if (thoughts > 0) usage["thoughtsTokenCount"] = thoughts;
        if (cached > 0) usage["cachedContentTokenCount"] = cached;
        return usage;
    }

    public static JsonObject Response(IEnumerable<JsonObject> candidates, JsonObject? usage = null, string model = "gemini-2.5-flash", string responseId = "resp-fake-1")
    {
        var response = new JsonObject
        {
            ["candidates"] = new JsonArray(candidates.Select(c => (JsonNode)c).ToArray()),
            ["modelVersion"] = model,
            ["responseId"] = responseId,
        };
        if (usage is not null) response["usageMetadata"] = usage;
        return response;
    }

    /// <summary>A one-candidate response.</summary>
    public static JsonObject Response(string? text, string finishReason = "STOP", JsonObject? usage = null, string model = "gemini-2.5-flash") =>
        Response([Candidate(text is null ? [] : [Text(text)], finishReason)], usage ?? Usage(9, 6), model);

    /// <summary>A response for a prompt Gemini blocked: no candidates, only promptFeedback.</summary>
    public static JsonObject Blocked(string reason = "SAFETY") => new()
    {
        ["promptFeedback"] = new JsonObject { ["blockReason"] = reason },
        ["usageMetadata"] = Usage(9, 0),
        ["modelVersion"] = "gemini-2.5-flash",
        ["responseId"] = "resp-blocked",
    };

    public static JsonObject ErrorBody(int code, string status, string message, JsonArray? details = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status };
        if (details is not null) error["details"] = details;
        return new JsonObject { ["error"] = error };
    }

    public static JsonObject RetryInfo(string delay) => new()
    {
        ["@type"] = "type.googleapis.com/google.rpc.RetryInfo",
        ["retryDelay"] = delay,
    };

    /// <summary>A streamed text answer: one event per word, the last with the finish reason and final usage.</summary>
    public static List<string> TextStream(string text, string finishReason = "STOP", int candidates = 1, string model = "gemini-2.5-flash", string responseId = "resp-stream-1")
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                words.Add(text[start..i]);
                start = i;
            }
        }
        var events = new List<string>();
        for (var w = 0; w < words.Count; w++)
        {
            var last = w == words.Count - 1;
            var list = Enumerable.Range(0, candidates).Select(c => Candidate([Text(words[w])], last ? finishReason : null, c));
            events.Add(Response(list, last ? Usage(9, words.Count * candidates) : Usage(9, 0), model, responseId).ToJsonString());
        }
        return events;
    }

    /// <summary>One candidate's parts streamed one event per part; the last event carries the finish reason and the usage.</summary>
    public static List<string> PartStream(IReadOnlyList<JsonObject> parts, string finishReason, JsonObject usage, string model = "gemini-2.5-flash",
        string responseId = "resp-stream-1")
    {
        var events = new List<string>();
        for (var i = 0; i < parts.Count; i++)
        {
            var last = i == parts.Count - 1;
            events.Add(Response([Candidate([parts[i].DeepClone().AsObject()], last ? finishReason : null)], last ? usage : Usage(9, 0), model, responseId).ToJsonString());
        }
        return events;
    }
}
