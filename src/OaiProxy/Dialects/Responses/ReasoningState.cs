using System.Buffers;
using System.Text.Json;
using OaiProxy.Requests;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// What a reasoning item's <c>encrypted_content</c> carries for a translated upstream: the reasoning text and the
/// upstream's own replay blocks (Anthropic's signed thinking blocks, in chat's <c>thinking_blocks</c> form), sealed.
/// </summary>
internal static class ReasoningState
{
    public static string Seal(StateSeal seal, string text, IReadOnlyList<string> blocks)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("text"u8, text);
            writer.WriteStartArray("blocks"u8);
            foreach (var block in blocks) writer.WriteRawValue(block);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return seal.Seal(buffer.WrittenSpan);
    }

    /// <summary>The text and blocks of one of our tokens; null when it is not ours; throws (a 400) when it is ours but altered.</summary>
    public static (string Text, JsonDocument State)? Open(StateSeal seal, string? token)
    {
        if (!StateSeal.IsOurs(token)) return null;
        var plaintext = seal.Open(token!) ?? throw ResponsesTranslationException.Invalid("input",
            "A reasoning item's encrypted_content was not issued by this proxy or was altered; send the items exactly as the proxy returned them.",
            "invalid_encrypted_content");
        var state = JsonDocument.Parse(plaintext);
        return (JsonFields.String(state.RootElement, "text") ?? "", state);
    }
}
