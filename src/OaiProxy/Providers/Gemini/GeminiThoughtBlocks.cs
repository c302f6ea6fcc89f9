using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Thought signatures Gemini puts on parts other than function calls, carried through chat's <c>thinking_blocks</c>
/// (the field clients already send back for Anthropic) so the next turn can return them on the part they came on.
/// A signed thought part becomes <c>{"type":"gemini_thought","thinking":text,"signature":s}</c> and goes back as that
/// thought part, first in the model turn; a signed answer part (Gemini 3 signs the last part of a text answer)
/// becomes <c>{"type":"gemini_thought","signature":s}</c> and goes back on the turn's text. The type is Gemini's own,
/// so a conversation that moves to Anthropic never sends it a signature it cannot verify, nor the reverse.
/// Signatures on function calls ride in the tool-call id instead (<see cref="GeminiToolCallId"/>).
/// </summary>
internal static class GeminiThoughtBlocks
{
    public const string Type = "gemini_thought";

    /// <summary>The block of a signed non-call part, as compact JSON; null when the part carries no signature.</summary>
    public static string? FromPart(JsonElement part)
    {
        if (JsonFields.String(part, "thoughtSignature") is not { Length: > 0 } signature || part.TryGetProperty("functionCall", out _)) return null;
        var block = new JsonObject { ["type"] = Type };
        if (GeminiResponseTranslator.IsThought(part)) block["thinking"] = JsonFields.String(part, "text") ?? "";
        block["signature"] = signature;
        return block.ToJsonString();
    }

    /// <summary>
    /// The parts of a replayed assistant message's own blocks: its signed thoughts (to open the model turn), and the
    /// signature of its answer text, if any.
    /// </summary>
    public static (List<JsonObject> Thoughts, string? TextSignature) Read(JsonElement message)
    {
        var thoughts = new List<JsonObject>();
        string? textSignature = null;
        if (!JsonFields.TryGet(message, "thinking_blocks", out var blocks) || blocks.ValueKind != JsonValueKind.Array) return (thoughts, null);
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || JsonFields.String(block, "type") != Type || JsonFields.String(block, "signature") is not { Length: > 0 } signature) continue;
            // Gemini refuses an empty text part, so a signed thought without text is kept by its signature alone.
            if (JsonFields.String(block, "thinking") is { Length: > 0 } thinking)
            {
                thoughts.Add(new JsonObject { ["text"] = thinking, ["thought"] = true, ["thoughtSignature"] = signature });
            }
            else
            {
                textSignature ??= signature;
            }
        }
        return (thoughts, textSignature);
    }
}
