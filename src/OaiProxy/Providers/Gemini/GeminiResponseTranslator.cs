using System.Buffers;
using System.Text;
using System.Text.Json;
using OaiProxy.Wire;

using OaiProxy.Requests;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// A Gemini <c>GenerateContentResponse</c> to an OpenAI <c>chat.completion</c>: candidates become choices, text parts
/// the content (thought parts <c>reasoning_content</c>), thought signatures of other parts <c>thinking_blocks</c>
/// (<see cref="GeminiThoughtBlocks"/>), function calls <c>tool_calls</c> with ids that carry Gemini's id and thought
/// signature, finish reasons and usage mapped. A blocked prompt (no candidates, a
/// <c>promptFeedback.blockReason</c>) is answered as one empty choice with <c>content_filter</c>, as LiteLLM does.
/// </summary>
internal static class GeminiResponseTranslator
{
    /// <summary>The completion JSON; null when the response has neither candidates nor a block reason.</summary>
    public static byte[]? Translate(JsonElement root, string upstreamModel, long created)
    {
        var responseId = JsonFields.String(root, "responseId");
        var hasCandidates = root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array &&
                            candidates.GetArrayLength() > 0;
        if (!hasCandidates && BlockReason(root) is null) return null;

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, ChatId(responseId));
            writer.WriteString("object"u8, "chat.completion"u8);
            writer.WriteNumber("created"u8, created);
            writer.WriteString("model"u8, JsonFields.String(root, "modelVersion") ?? upstreamModel);
            writer.WritePropertyName("choices"u8);
            writer.WriteStartArray();
            if (hasCandidates)
            {
                var position = 0;
                foreach (var candidate in candidates.EnumerateArray()) WriteChoice(writer, candidate, position++, responseId);
            }
            else
            {
                WriteBlockedChoice(writer);
            }
            writer.WriteEndArray();
            if (GeminiUsage.Read(root) is { } usage)
            {
                writer.WritePropertyName("usage"u8);
                OpenAiUsageJson.Write(writer, usage.ToUsageInfo());
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteChoice(Utf8JsonWriter writer, JsonElement candidate, int position, string? responseId)
    {
        var index = candidate.TryGetProperty("index", out var i) && i.TryGetInt32(out var value) ? value : position;
        var content = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<(string Id, string Name, string Arguments)>();
        var blocks = new List<string>();
        foreach (var part in Parts(candidate))
        {
            if (GeminiThoughtBlocks.FromPart(part) is { } block) blocks.Add(block);
            if (part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                (IsThought(part) ? reasoning : content).Append(text.GetString());
            }
            else if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object)
            {
                calls.Add(ToolCall(call, JsonFields.String(part, "thoughtSignature"), responseId, index, calls.Count));
            }
        }
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        writer.WritePropertyName("message"u8);
        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant"u8);
        if (content.Length > 0) writer.WriteString("content"u8, content.ToString()); else writer.WriteNull("content"u8);
        writer.WriteNull("refusal"u8);
        if (reasoning.Length > 0) writer.WriteString("reasoning_content"u8, reasoning.ToString());
        if (blocks.Count > 0)
        {
            writer.WriteStartArray("thinking_blocks"u8);
            foreach (var block in blocks) writer.WriteRawValue(block);
            writer.WriteEndArray();
        }
        if (calls.Count > 0)
        {
            writer.WritePropertyName("tool_calls"u8);
            writer.WriteStartArray();
            foreach (var (id, name, arguments) in calls) WriteToolCall(writer, id, name, arguments);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, GeminiFinishReason.ToOpenAi(JsonFields.String(candidate, "finishReason"), calls.Count > 0));
        writer.WriteEndObject();
    }

    private static void WriteBlockedChoice(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WritePropertyName("message"u8);
        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteNull("content"u8);
        writer.WriteNull("refusal"u8);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, "content_filter"u8);
        writer.WriteEndObject();
    }

    private static void WriteToolCall(Utf8JsonWriter writer, string id, string name, string arguments)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        writer.WriteString("type"u8, "function"u8);
        writer.WritePropertyName("function"u8);
        writer.WriteStartObject();
        writer.WriteString("name"u8, name);
        writer.WriteString("arguments"u8, arguments);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal static (string Id, string Name, string Arguments) ToolCall(JsonElement call, string? signature, string? responseId, int candidate, int callIndex)
    {
        var name = JsonFields.String(call, "name") ?? "";
        var arguments = call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object ? JsonFields.Compact(args) : "{}";
        return (GeminiToolCallId.Create(JsonFields.String(call, "id"), signature, responseId, candidate, callIndex), name, arguments);
    }

    internal static IEnumerable<JsonElement> Parts(JsonElement candidate) =>
        candidate.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object &&
        content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array
            ? parts.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object)
            : [];

    internal static bool IsThought(JsonElement part) => part.TryGetProperty("thought", out var t) && t.ValueKind == JsonValueKind.True;

    internal static string? BlockReason(JsonElement root) =>
        root.TryGetProperty("promptFeedback", out var feedback) && feedback.ValueKind == JsonValueKind.Object ? JsonFields.String(feedback, "blockReason") : null;

    internal static string ChatId(string? responseId) =>
        "chatcmpl-" + (string.IsNullOrEmpty(responseId) ? Guid.NewGuid().ToString("N") : responseId);
}
