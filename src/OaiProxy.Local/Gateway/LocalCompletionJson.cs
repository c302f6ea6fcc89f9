using System.Buffers;
using System.Text.Json;
using OaiProxy.Wire;

namespace OaiProxy.Local.Gateway;

/// <summary>
/// Writes a whole local completion as an OpenAI <c>chat.completion</c> object; streams are written by the core's
/// <see cref="OpenAiChunkWriter"/>.
/// </summary>
internal static class LocalCompletionJson
{
    public static string NewId() => "chatcmpl-local-" + Guid.NewGuid().ToString("N");

    public static byte[] Write(string id, long created, string model, string content, string finishReason, LocalUsage usage)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + content.Length);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", created);
            w.WriteString("model", model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", content);
            w.WriteNull("refusal");
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", finishReason);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WritePropertyName("usage");
            OpenAiUsageJson.Write(w, usage.ToUsageInfo());
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
