using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Requests;
using OaiProxy.Usage;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// Writes the response object (<c>ResponseResource</c>) of a translated response with every key the spec and the
/// compliance suite require, the request's settings echoed back as OpenAI does, and usage with both details.
/// </summary>
internal static class ResponseResource
{
    private static readonly string[] FunctionToolKeys = ["description", "parameters", "strict"];

    public static void Write(Utf8JsonWriter w, ResponseContext context, string status, IReadOnlyList<OutputItem> output, UsageInfo? usage,
        ProxyError? error = null, string? incompleteReason = null, long? completedAt = null)
    {
        var root = context.Request;
        w.WriteStartObject();
        w.WriteString("id"u8, context.Id);
        w.WriteString("object"u8, "response"u8);
        w.WriteNumber("created_at"u8, context.CreatedAt);
        if (completedAt is { } completed) w.WriteNumber("completed_at"u8, completed);
        else w.WriteNull("completed_at"u8);
        w.WriteString("status"u8, status);
        w.WritePropertyName("error"u8);
        if (error is null) w.WriteNullValue();
        else ResponseErrors.WriteObject(w, error);
        w.WritePropertyName("incomplete_details"u8);
        if (incompleteReason is null) w.WriteNullValue();
        else
        {
            w.WriteStartObject();
            w.WriteString("reason"u8, incompleteReason);
            w.WriteEndObject();
        }
        Echo(w, root, "instructions", null);
        Echo(w, root, "max_output_tokens", null);
        Echo(w, root, "max_tool_calls", null);
        w.WriteString("model"u8, context.Model);
        w.WriteStartArray("output"u8);
        foreach (var item in output) item.Write(w, context.Seal);
        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls"u8, !JsonFields.TryGet(root, "parallel_tool_calls", out var parallel) || parallel.ValueKind != JsonValueKind.False);
        if (context.PreviousResponseId is { } previous) w.WriteString("previous_response_id"u8, previous);
        else w.WriteNull("previous_response_id"u8);
        w.WriteStartObject("reasoning"u8);
        JsonFields.TryGet(root, "reasoning", out var reasoning);
        Echo(w, reasoning, "effort", null);
        Echo(w, reasoning, "summary", null);
        w.WriteEndObject();
        w.WriteBoolean("store"u8, context.Store);
        Echo(w, root, "temperature", 1.0);
        w.WriteStartObject("text"u8);
        if (JsonFields.TryGet(root, "text", out var text) && JsonFields.TryGet(text, "format", out var format))
        {
            w.WritePropertyName("format"u8);
            format.WriteTo(w);
        }
        else
        {
            w.WriteStartObject("format"u8);
            w.WriteString("type"u8, "text"u8);
            w.WriteEndObject();
        }
        w.WriteString("verbosity"u8, JsonFields.String(text, "verbosity") ?? "medium");
        w.WriteEndObject();
        if (JsonFields.TryGet(root, "tool_choice", out var choice))
        {
            w.WritePropertyName("tool_choice"u8);
            choice.WriteTo(w);
        }
        else
        {
            w.WriteString("tool_choice"u8, "auto"u8);
        }
        WriteTools(w, root);
        Echo(w, root, "top_p", 1.0);
        Echo(w, root, "presence_penalty", 0.0);
        Echo(w, root, "frequency_penalty", 0.0);
        Echo(w, root, "top_logprobs", 0.0);
        w.WriteString("truncation"u8, JsonFields.String(root, "truncation") ?? "disabled");
        w.WritePropertyName("usage"u8);
        WriteUsage(w, usage);
        Echo(w, root, "user", null);
        Echo(w, root, "safety_identifier", null);
        Echo(w, root, "prompt_cache_key", null);
        if (JsonFields.TryGet(root, "metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            w.WritePropertyName("metadata"u8);
            metadata.WriteTo(w);
        }
        else
        {
            w.WriteStartObject("metadata"u8);
            w.WriteEndObject();
        }
        w.WriteBoolean("background"u8, false);
        w.WriteString("service_tier"u8, "default"u8);
        w.WriteEndObject();
    }

    /// <summary>Responses usage: input and output tokens with their details, as Codex and the AI SDK require them.</summary>
    public static void WriteUsage(Utf8JsonWriter w, UsageInfo? usage)
    {
        if (usage is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        w.WriteNumber("input_tokens"u8, usage.PromptTokens);
        w.WriteStartObject("input_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, usage.CachedTokens);
        w.WriteEndObject();
        w.WriteNumber("output_tokens"u8, usage.CompletionTokens);
        w.WriteStartObject("output_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, usage.ReasoningTokens);
        w.WriteEndObject();
        w.WriteNumber("total_tokens"u8, usage.TotalTokens);
        w.WriteEndObject();
    }

    /// <summary>The request's tools as OpenAI echoes them: a function tool always shows description, parameters and strict.</summary>
    private static void WriteTools(Utf8JsonWriter w, JsonElement root)
    {
        w.WriteStartArray("tools"u8);
        if (JsonFields.TryGet(root, "tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.ValueKind != JsonValueKind.Object || JsonFields.String(tool, "type") != "function")
                {
                    tool.WriteTo(w);
                    continue;
                }
                w.WriteStartObject();
                foreach (var property in tool.EnumerateObject()) property.WriteTo(w);
                foreach (var key in FunctionToolKeys)
                {
                    if (!JsonFields.TryGet(tool, key, out _)) w.WriteNull(key);
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
    }

    /// <summary>The request's field as sent, else <paramref name="fallback"/> (null written as JSON null).</summary>
    private static void Echo(Utf8JsonWriter w, JsonElement source, string name, double? fallback)
    {
        w.WritePropertyName(name);
        if (JsonFields.TryGet(source, name, out var value)) value.WriteTo(w);
        else if (fallback is { } number) w.WriteNumberValue(number);
        else w.WriteNullValue();
    }
}
