using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Errors;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// An OpenAI chat-completions request to an Anthropic Messages request (protocols.md 4.1), field by field.
/// Parameters that would change the answer but have no Anthropic form are refused with a 400 naming them;
/// fields that only matter to OpenAI's own platform (store, metadata, service_tier, seed, ...) are dropped.
/// </summary>
internal static class AnthropicRequestTranslator
{
    /// <summary>Told to the model for <c>json_object</c> mode, which Anthropic has no switch for.</summary>
    public const string JsonObjectInstruction =
        "Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences.";

    public static (JsonObject? Body, ProxyError? Error) ToAnthropicRequest(JsonElement request, string upstreamModel,
        AnthropicSettings settings, bool stream)
    {
        try
        {
            return (Build(request, upstreamModel, settings, stream), null);
        }
        catch (AnthropicTranslationException e)
        {
            return (null, e.Error);
        }
    }

    private static JsonObject Build(JsonElement request, string upstreamModel, AnthropicSettings settings, bool stream)
    {
        // 1. Refuse what Anthropic cannot honour before doing any work.
        RejectUnsupported(request);

        // 2. The conversation: system hoisted, turns normalised and checked.
        if (!JsonFields.TryGet(request, "messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            throw AnthropicTranslationException.Invalid("messages", "\"messages\" must be an array of messages.", "invalid_type");
        }
        var conversation = AnthropicMessageTranslator.Translate(messages);

        // 3. Output budget and extended thinking, which shares it.
        var body = new JsonObject { ["model"] = upstreamModel };
        var (maxTokens, clientSet) = MaxTokens(request, upstreamModel, settings);
        var thinking = Thinking(request, maxTokens, clientSet);
        body["max_tokens"] = maxTokens;

        // 4. Structured output, then the system blocks it may have added to.
        ApplyResponseFormat(request, body, conversation.System);
        if (conversation.System.Count > 0) body["system"] = conversation.System;
        body["messages"] = conversation.Messages;
        if (thinking is not null) body["thinking"] = thinking;

        // 5. Sampling, stop sequences, tools, end-user id, streaming.
        Sampling(request, body, thinking is not null);
        StopSequences(request, body);
        AnthropicToolTranslator.Apply(request, body, conversation.HistoryToolNames, thinking is not null);
        if (UserId(request) is { } userId) body["metadata"] = new JsonObject { ["user_id"] = userId };
        if (stream) body["stream"] = true;
        return body;
    }

    private static void RejectUnsupported(JsonElement request)
    {
        if (JsonFields.TryGet(request, "n", out var n) && AnthropicJson.Integer(n, "n") != 1)
        {
            throw AnthropicTranslationException.Unsupported("n", "Anthropic models return one choice per request; remove \"n\" or set it to 1, and send several requests for several answers.");
        }
        if (JsonFields.TryGet(request, "logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
        {
            throw AnthropicTranslationException.Unsupported("logprobs", "Anthropic models do not return log probabilities; remove \"logprobs\".");
        }
        if (JsonFields.TryGet(request, "top_logprobs", out var top) && !(top.ValueKind == JsonValueKind.Number && top.GetDouble() == 0))
        {
            throw AnthropicTranslationException.Unsupported("top_logprobs", "Anthropic models do not return log probabilities; remove \"top_logprobs\".");
        }
        if (JsonFields.TryGet(request, "audio", out _))
        {
            throw AnthropicTranslationException.Unsupported("audio", "Anthropic models cannot produce audio; remove \"audio\".");
        }
        if (JsonFields.TryGet(request, "modalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array &&
            modalities.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && m.GetString() != "text"))
        {
            throw AnthropicTranslationException.Unsupported("modalities", "Anthropic models answer with text only; remove \"modalities\" or set it to [\"text\"].");
        }
        if (JsonFields.TryGet(request, "prediction", out _))
        {
            throw AnthropicTranslationException.Unsupported("prediction", "Anthropic has no Predicted Outputs; remove \"prediction\".");
        }
        if (JsonFields.TryGet(request, "logit_bias", out var bias) && bias.ValueKind == JsonValueKind.Object && bias.EnumerateObject().Any())
        {
            throw AnthropicTranslationException.Unsupported("logit_bias", "Anthropic models have no token biasing; remove \"logit_bias\".");
        }
        foreach (var penalty in (string[])["presence_penalty", "frequency_penalty"])
        {
            if (JsonFields.TryGet(request, penalty, out var value) && AnthropicJson.Number(value, penalty) != 0)
            {
                throw AnthropicTranslationException.Unsupported(penalty, $"Anthropic models have no \"{penalty}\"; remove it or set it to 0.");
            }
        }
        if (JsonFields.TryGet(request, "web_search_options", out _))
        {
            throw AnthropicTranslationException.Unsupported("web_search_options", "This Anthropic connection does not translate \"web_search_options\"; remove it.");
        }
        if (JsonFields.TryGet(request, "functions", out _) || JsonFields.TryGet(request, "function_call", out _))
        {
            var param = JsonFields.TryGet(request, "functions", out _) ? "functions" : "function_call";
            throw AnthropicTranslationException.Unsupported(param, $"\"{param}\" is deprecated and not translated for Anthropic; send \"tools\" and \"tool_choice\" instead.");
        }
    }

    private static (int MaxTokens, bool ClientSet) MaxTokens(JsonElement request, string model, AnthropicSettings settings)
    {
        foreach (var name in (string[])["max_completion_tokens", "max_tokens"])
        {
            if (!JsonFields.TryGet(request, name, out var value)) continue;
            var tokens = AnthropicJson.Integer(value, name);
            if (tokens is < 1 or > int.MaxValue)
            {
                throw AnthropicTranslationException.Invalid(name, $"\"{name}\" must be at least 1, found {tokens}.");
            }
            return ((int)tokens, true);
        }
        return (AnthropicMaxTokens.Default(settings, model), false);
    }

    private static JsonObject? Thinking(JsonElement request, int maxTokens, bool clientSet)
    {
        // A client that already speaks Anthropic's thinking (a LiteLLM extension) gets exactly what it asked for.
        if (JsonFields.TryGet(request, "thinking", out var native) && native.ValueKind == JsonValueKind.Object)
        {
            return JsonFields.Clone(native) as JsonObject;
        }
        if (JsonFields.String(request, "reasoning_effort") is not { } effort || AnthropicThinking.Budget(effort) is not { } budget)
        {
            return null;
        }
        // Thinking counts toward max_tokens and must leave room for the answer: budget < max_tokens.
        if (budget >= maxTokens) budget = Math.Max(AnthropicThinking.MinBudget, maxTokens / 2);
        if (budget >= maxTokens)
        {
            var param = clientSet ? "max_completion_tokens" : "reasoning_effort";
            throw AnthropicTranslationException.Invalid(param,
                $"Extended thinking needs at least {AnthropicThinking.MinBudget} thinking tokens below the output limit; raise \"max_completion_tokens\" above {AnthropicThinking.MinBudget * 2} or drop \"reasoning_effort\".");
        }
        return new JsonObject { ["type"] = "enabled", ["budget_tokens"] = budget };
    }

    private static void ApplyResponseFormat(JsonElement request, JsonObject body, JsonArray system)
    {
        if (!JsonFields.TryGet(request, "response_format", out var format)) return;
        switch (JsonFields.String(format, "type"))
        {
            case "text" or null:
                return;
            case "json_schema":
                JsonFields.TryGet(format, "json_schema", out var jsonSchema);
                if (JsonFields.TryGet(jsonSchema, "schema", out var schema))
                {
                    // Native structured output, not LiteLLM's forced json_tool_call: the answer stays a text block (so
                    // it streams as content deltas, never as a tool call), the schema is enforced by constrained
                    // decoding like OpenAI's strict mode, and it combines with thinking and the client's own tools.
                    var clone = JsonFields.Clone(schema);
                    // Schema generators (zod's toJSONSchema, pydantic) stamp the draft they follow; it constrains
                    // nothing, and Anthropic documents only the keywords it enforces.
                    if (clone is JsonObject root) root.Remove("$schema");
                    body["output_config"] = new JsonObject
                    {
                        ["format"] = new JsonObject { ["type"] = "json_schema", ["schema"] = clone },
                    };
                    return;
                }
                system.Add((JsonNode)new JsonObject { ["type"] = "text", ["text"] = JsonObjectInstruction });
                return;
            case "json_object":
                // Anthropic has no schema-less JSON mode; OpenAI's own json_object also works by instruction.
                system.Add((JsonNode)new JsonObject { ["type"] = "text", ["text"] = JsonObjectInstruction });
                return;
            case var other:
                throw AnthropicTranslationException.Unsupported("response_format.type", $"\"response_format.type\" is \"{other}\"; use \"text\", \"json_object\" or \"json_schema\".");
        }
    }

    private static void Sampling(JsonElement request, JsonObject body, bool thinking)
    {
        // With thinking on Anthropic accepts only the default temperature and no top_k, and top_p from 0.95.
        if (!thinking && JsonFields.TryGet(request, "temperature", out var temperature))
        {
            // OpenAI's range is 0-2, Anthropic's 0-1: above 1 means "as random as possible", which is 1 there.
            body["temperature"] = Math.Clamp(AnthropicJson.Number(temperature, "temperature"), 0, 1);
        }
        if (JsonFields.TryGet(request, "top_p", out var topP))
        {
            var value = AnthropicJson.Number(topP, "top_p");
            body["top_p"] = thinking ? Math.Max(value, 0.95) : value;
        }
        if (!thinking && JsonFields.TryGet(request, "top_k", out var topK))
        {
            body["top_k"] = AnthropicJson.Integer(topK, "top_k");
        }
    }

    private static void StopSequences(JsonElement request, JsonObject body)
    {
        if (!JsonFields.TryGet(request, "stop", out var stop)) return;
        var list = new JsonArray();
        IEnumerable<JsonElement> items = stop.ValueKind == JsonValueKind.Array ? stop.EnumerateArray() : [stop];
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw AnthropicTranslationException.Invalid("stop", "\"stop\" must be a string or an array of strings.", "invalid_type");
            }
            // Anthropic rejects whitespace-only stop sequences.
            if (!string.IsNullOrWhiteSpace(item.GetString())) list.Add((JsonNode?)item.GetString());
        }
        if (list.Count > 0) body["stop_sequences"] = list;
    }

    /// <summary>
    /// <c>metadata.user_id</c> must be an opaque id: an e-mail address or phone number is sent as a stable hash,
    /// which keeps per-user abuse tracking working without handing personal data upstream.
    /// </summary>
    private static string? UserId(JsonElement request)
    {
        var user = JsonFields.String(request, "safety_identifier") ?? JsonFields.String(request, "user");
        if (string.IsNullOrWhiteSpace(user)) return null;
        var digits = user.Count(char.IsAsciiDigit);
        var looksPersonal = user.Contains('@', StringComparison.Ordinal) ||
                            (digits >= 7 && user.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')' or '.'));
        if (!looksPersonal) return user;
        return "user-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user)))[..32];
    }
}
