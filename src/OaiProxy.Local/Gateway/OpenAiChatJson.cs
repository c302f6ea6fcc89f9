using System.Buffers;
using System.Text.Json;

namespace OaiProxy.Local.Gateway;

/// <summary>
/// Writes the OpenAI shapes of one local completion: the <c>chat.completion</c> object, or the
/// <c>chat.completion.chunk</c> payloads of a stream (role, content deltas, finish, usage). Not thread-safe: one per
/// response.
/// </summary>
internal sealed class OpenAiChatJson(string id, long created, string model)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public static string NewId() => "chatcmpl-local-" + Guid.NewGuid().ToString("N");

    public byte[] Completion(string content, string finishReason, LocalUsage usage)
    {
        using var w = Begin("chat.completion");
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
        WriteUsage(w, usage);
        return End(w);
    }

    /// <summary>The first chunk of a stream: the assistant role with empty content, as OpenAI sends it.</summary>
    public byte[] RoleChunk() => Chunk(role: "assistant", content: "", finishReason: null);

    public byte[] DeltaChunk(string content) => Chunk(role: null, content, finishReason: null);

    public byte[] FinishChunk(string finishReason) => Chunk(role: null, content: null, finishReason);

    /// <summary>The extra last chunk of <c>stream_options.include_usage</c>: no choices, only usage.</summary>
    public byte[] UsageChunk(LocalUsage usage)
    {
        using var w = Begin("chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteEndArray();
        WriteUsage(w, usage);
        return End(w);
    }

    private byte[] Chunk(string? role, string? content, string? finishReason)
    {
        using var w = Begin("chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        if (role is not null)
        {
            w.WriteString("role", role);
        }

        if (content is not null)
        {
            w.WriteString("content", content);
        }

        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finishReason is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finishReason);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        return End(w);
    }

    private Utf8JsonWriter Begin(string objectType)
    {
        _buffer.ResetWrittenCount();
        var w = new Utf8JsonWriter(_buffer);
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", objectType);
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        return w;
    }

    private byte[] End(Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    private static void WriteUsage(Utf8JsonWriter w, LocalUsage usage)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", usage.PromptTokens);
        w.WriteNumber("completion_tokens", usage.CompletionTokens);
        w.WriteNumber("total_tokens", usage.TotalTokens);
        w.WriteEndObject();
    }
}
