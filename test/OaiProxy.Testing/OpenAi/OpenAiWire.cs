using System.Text.Json.Nodes;

namespace OaiProxy.Testing.OpenAi;

/// <summary>Builders for OpenAI wire objects as the real API sends them.</summary>
public static class OpenAiWire
{
    public const long Created = 1_741_570_283;

    public static JsonObject Completion(string id, string model, string? content, string finishReason = "stop",
        JsonArray? toolCalls = null, int promptTokens = 7, int completionTokens = 5, int choiceCount = 1)
    {
        var choices = new JsonArray();
        for (var i = 0; i < choiceCount; i++)
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = null, ["annotations"] = new JsonArray() };
            if (toolCalls is not null) message["tool_calls"] = toolCalls.DeepClone();
            choices.Add(new JsonObject { ["index"] = i, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = finishReason });
        }
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = Created,
            ["model"] = model,
            ["choices"] = choices,
            ["usage"] = Usage(promptTokens, completionTokens),
            ["service_tier"] = "default",
            ["system_fingerprint"] = "fp_fake",
        };
    }

    public static JsonObject Usage(int prompt, int completion, int cached = 0, int reasoning = 0) => new()
    {
        ["prompt_tokens"] = prompt,
        ["completion_tokens"] = completion,
        ["total_tokens"] = prompt + completion,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject
        {
            ["reasoning_tokens"] = reasoning, ["audio_tokens"] = 0,
            ["accepted_prediction_tokens"] = 0, ["rejected_prediction_tokens"] = 0,
        },
    };

    public static JsonObject Chunk(string id, string model, JsonObject delta, string? finishReason = null, int index = 0, bool withUsageNull = false)
    {
        var chunk = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = Created,
            ["model"] = model,
            ["system_fingerprint"] = "fp_fake",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = index, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason }),
        };
        if (withUsageNull) chunk["usage"] = null;
        return chunk;
    }

    public static JsonObject UsageChunk(string id, string model, int prompt, int completion) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = Created,
        ["model"] = model,
        ["system_fingerprint"] = "fp_fake",
        ["choices"] = new JsonArray(),
        ["usage"] = Usage(prompt, completion),
    };

    /// <summary>The chunks of a streamed text answer: role first, one chunk per word, then the finish reason.</summary>
    public static List<string> TextStream(string id, string model, string text, bool includeUsage, int choiceCount = 1, int promptTokens = 7)
    {
        var words = SplitWords(text);
        var payloads = new List<string>();
        for (var c = 0; c < choiceCount; c++)
        {
            payloads.Add(Chunk(id, model, new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }, index: c, withUsageNull: includeUsage).ToJsonString());
        }
        foreach (var word in words)
        {
            for (var c = 0; c < choiceCount; c++)
            {
                payloads.Add(Chunk(id, model, new JsonObject { ["content"] = word }, index: c, withUsageNull: includeUsage).ToJsonString());
            }
        }
        for (var c = 0; c < choiceCount; c++)
        {
            payloads.Add(Chunk(id, model, new JsonObject(), "stop", c, includeUsage).ToJsonString());
        }
        if (includeUsage) payloads.Add(UsageChunk(id, model, promptTokens, words.Count * choiceCount).ToJsonString());
        return payloads;
    }

    /// <summary>Words with their leading space kept, so the chunks concatenate back to the text.</summary>
    public static List<string> SplitWords(string text)
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
        return words;
    }

    /// <summary>A streamed answer made of tool calls, arguments split into several deltas, as OpenAI sends them.</summary>
    public static List<string> ToolCallStream(string id, string model, IReadOnlyList<(string CallId, string Name, string Arguments)> calls, bool includeUsage)
    {
        var payloads = new List<string>
        {
            Chunk(id, model, new JsonObject { ["role"] = "assistant", ["content"] = null }).ToJsonString(),
        };
        for (var i = 0; i < calls.Count; i++)
        {
            var (callId, name, arguments) = calls[i];
            payloads.Add(Chunk(id, model, new JsonObject
            {
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = i, ["id"] = callId, ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["arguments"] = "" },
                }),
            }).ToJsonString());
            for (var start = 0; start < arguments.Length; start += 4)
            {
                var piece = arguments.Substring(start, Math.Min(4, arguments.Length - start));
                payloads.Add(Chunk(id, model, new JsonObject
                {
                    ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = piece } }),
                }).ToJsonString());
            }
        }
        payloads.Add(Chunk(id, model, new JsonObject(), "tool_calls").ToJsonString());
        if (includeUsage) payloads.Add(UsageChunk(id, model, 20, 15).ToJsonString());
        return payloads;
    }
}
