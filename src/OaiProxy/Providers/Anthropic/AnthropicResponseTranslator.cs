using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OaiProxy.Requests;
using OaiProxy.Wire;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// An Anthropic <c>Message</c> to an OpenAI <c>chat.completion</c> (protocols.md 4.2): text blocks concatenated
/// into <c>content</c>, tool_use blocks as <c>tool_calls</c> with JSON-string arguments, thinking as
/// <c>reasoning_content</c> (plus the signed <c>thinking_blocks</c> a client must send back for multi-turn tool use),
/// the stop reason mapped, usage with cache details. Throws <see cref="JsonException"/> for a body that is not a message.
/// </summary>
internal static class AnthropicResponseTranslator
{
    public static byte[] FromAnthropicMessage(ReadOnlySpan<byte> json, long created, string connection, ILogger logger)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var message = document.RootElement;
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("The upstream answer is not an Anthropic message (no \"content\" array).");
        }

        // 1. Gather the blocks by kind, keeping their order within each kind.
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var hasText = false;
        var hasReasoning = false;
        var tools = new List<JsonElement>();
        var thinkingBlocks = new List<JsonElement>();
        foreach (var block in content.EnumerateArray())
        {
            switch (JsonFields.String(block, "type"))
            {
                case "text":
                    text.Append(JsonFields.String(block, "text"));
                    hasText = true;
                    break;
                case "tool_use":
                    tools.Add(block);
                    break;
                case "thinking":
                    reasoning.Append(JsonFields.String(block, "thinking"));
                    hasReasoning = true;
                    thinkingBlocks.Add(block);
                    break;
                case "redacted_thinking":
                    thinkingBlocks.Add(block);
                    break;
            }
        }
        var stopReason = JsonFields.String(message, "stop_reason");
        var finish = AnthropicFinishReasons.ToOpenAi(stopReason, out var known);
        if (!known) AnthropicLog.UnknownStopReason(logger, connection, stopReason);
        var usage = new AnthropicUsage();
        if (JsonFields.TryGet(message, "usage", out var usageJson)) usage.Read(usageJson);

        // 2. Write the completion.
        var buffer = new ArrayBufferWriter<byte>(json.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, JsonFields.String(message, "id") ?? "msg_unknown");
            writer.WriteString("object"u8, "chat.completion"u8);
            writer.WriteNumber("created"u8, created);
            writer.WriteString("model"u8, JsonFields.String(message, "model"));
            writer.WriteStartArray("choices"u8);
            writer.WriteStartObject();
            writer.WriteNumber("index"u8, 0);
            writer.WriteStartObject("message"u8);
            writer.WriteString("role"u8, "assistant"u8);
            if (hasText) writer.WriteString("content"u8, text.ToString()); else writer.WriteNull("content"u8);
            WriteRefusal(writer, message, stopReason);
            if (hasReasoning) writer.WriteString("reasoning_content"u8, reasoning.ToString());
            if (thinkingBlocks.Count > 0)
            {
                writer.WriteStartArray("thinking_blocks"u8);
                foreach (var block in thinkingBlocks) block.WriteTo(writer);
                writer.WriteEndArray();
            }
            if (tools.Count > 0) WriteToolCalls(writer, tools);
            writer.WriteEndObject();
            writer.WriteNull("logprobs"u8);
            writer.WriteString("finish_reason"u8, finish);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WritePropertyName("usage"u8);
            OpenAiUsageJson.Write(writer, usage.ToUsageInfo());
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRefusal(Utf8JsonWriter writer, JsonElement message, string? stopReason)
    {
        if (stopReason == "refusal" && JsonFields.TryGet(message, "stop_details", out var details) &&
            JsonFields.String(details, "explanation") is { } explanation)
        {
            writer.WriteString("refusal"u8, explanation);
        }
        else
        {
            writer.WriteNull("refusal"u8);
        }
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, List<JsonElement> tools)
    {
        writer.WriteStartArray("tool_calls"u8);
        foreach (var tool in tools)
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, JsonFields.String(tool, "id"));
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, JsonFields.String(tool, "name"));
            writer.WriteString("arguments"u8, Arguments(tool));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>The input as a compact JSON string; "{}" when there is none, never "" (SDKs parse it).</summary>
    public static string Arguments(JsonElement tool) =>
        JsonFields.TryGet(tool, "input", out var input) && input.ValueKind == JsonValueKind.Object
            ? JsonFields.Compact(input)
            : "{}";
}
