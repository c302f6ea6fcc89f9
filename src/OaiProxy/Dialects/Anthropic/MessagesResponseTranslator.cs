using System.Buffers;
using System.Text.Json;
using OaiProxy.Providers.Anthropic;
using OaiProxy.Requests;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// An OpenAI chat completion to an Anthropic message: reasoning becomes a thinking block (no signature: it was not
/// signed by Anthropic), non-empty text a text block, each tool call a tool_use block with its arguments parsed
/// (empty arguments are <c>{}</c>); stop reason per <see cref="MessagesStopReason"/>; usage with cached tokens
/// split out of the prompt (protocols.md 4.8, reverse).
/// </summary>
internal static class MessagesResponseTranslator
{
    public static byte[] FromOpenAiCompletion(ReadOnlySpan<byte> json, string messageId, string model, IReadOnlyList<string> stopSequences)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var choice = JsonFields.TryGet(root, "choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
            ? choices[0]
            : default;
        JsonFields.TryGet(choice, "message", out var message);
        var buffer = new ArrayBufferWriter<byte>(json.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, messageId);
            writer.WriteString("type"u8, "message");
            writer.WriteString("role"u8, "assistant");
            writer.WriteString("model"u8, model);
            writer.WriteStartArray("content"u8);
            if (Reasoning(message) is { Length: > 0 } reasoning)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "thinking");
                writer.WriteString("thinking"u8, reasoning);
                writer.WriteString("signature"u8, "");
                writer.WriteEndObject();
            }
            if (JsonFields.String(message, "content") is { Length: > 0 } text)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text");
                writer.WriteString("text"u8, text);
                writer.WriteEndObject();
            }
            var sawTools = false;
            if (JsonFields.TryGet(message, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                var n = 0;
                foreach (var call in calls.EnumerateArray())
                {
                    sawTools = true;
                    JsonFields.TryGet(call, "function", out var function);
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "tool_use");
                    writer.WriteString("id"u8, ToolId(JsonFields.String(call, "id"), n++));
                    writer.WriteString("name"u8, JsonFields.String(function, "name") ?? "");
                    writer.WritePropertyName("input"u8);
                    WriteInput(writer, JsonFields.String(function, "arguments"));
                    writer.WriteEndObject();
                }
            }
            writer.WriteEndArray();
            var (stopReason, stopSequence) = MessagesStopReason.Map(JsonFields.String(choice, "finish_reason"), sawTools,
                choice.ValueKind == JsonValueKind.Object ? MessagesStopReason.Matched(choice) : null, stopSequences);
            writer.WriteString("stop_reason"u8, stopReason);
            if (stopSequence is null) writer.WriteNull("stop_sequence"u8);
            else writer.WriteString("stop_sequence"u8, stopSequence);
            var usage = MessagesUsage.Read(root);
            usage.Write(writer, includeInput: true);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>reasoning_content</c> (DeepSeek, vLLM, this proxy's translators) or <c>reasoning</c> (OpenRouter, Ollama).</summary>
    public static string? Reasoning(JsonElement holder) =>
        JsonFields.String(holder, "reasoning_content") ?? JsonFields.String(holder, "reasoning");

    /// <summary>The call's id made to fit Anthropic's <c>^[a-zA-Z0-9_-]+$</c>; a missing id gets a stable one.</summary>
    public static string ToolId(string? id, int index) =>
        string.IsNullOrEmpty(id) ? $"toolu_{index:D2}" : AnthropicToolIds.Sanitise(id);

    private static void WriteInput(Utf8JsonWriter writer, string? arguments)
    {
        if (!string.IsNullOrWhiteSpace(arguments))
        {
            try
            {
                using var input = JsonDocument.Parse(arguments);
                if (input.RootElement.ValueKind == JsonValueKind.Object)
                {
                    input.RootElement.WriteTo(writer);
                    return;
                }
            }
            catch (JsonException)
            {
                // A model that produced broken JSON still gets its call through, as an empty input.
            }
        }
        writer.WriteStartObject();
        writer.WriteEndObject();
    }
}
