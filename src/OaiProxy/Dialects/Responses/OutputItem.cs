using System.Text;
using System.Text.Json;

namespace OaiProxy.Dialects.Responses;

/// <summary>One output item of a translated response as it is built: a message, a reasoning item, or a tool call.</summary>
internal sealed class OutputItem(OutputItem.Kinds kind, string id)
{
    public enum Kinds
    {
        Message,
        Reasoning,
        FunctionCall,
        CustomToolCall,
    }

    public Kinds Kind { get; } = kind;

    public string Id { get; } = id;

    /// <summary>The message text, the reasoning text, or the tool call's arguments (the custom input once unwrapped).</summary>
    public StringBuilder Text { get; } = new();

    /// <summary>Whether the message is the model's refusal (a refusal part instead of output text).</summary>
    public bool IsRefusal { get; init; }

    public string? CallId { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }

    /// <summary>The upstream's own reasoning blocks (raw JSON), sealed into <c>encrypted_content</c> for the next turn.</summary>
    public List<string> Blocks { get; } = [];

    public bool Done { get; set; }

    private string? _sealed;

    /// <summary>The item as JSON: in progress (as <c>output_item.added</c> shows it) or complete.</summary>
    public void Write(Utf8JsonWriter w, StateSeal seal)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, Id);
        switch (Kind)
        {
            case Kinds.Message:
                w.WriteString("type"u8, "message"u8);
                w.WriteString("status"u8, Done ? "completed"u8 : "in_progress"u8);
                w.WriteString("role"u8, "assistant"u8);
                w.WriteStartArray("content"u8);
                if (Done) WritePart(w);
                w.WriteEndArray();
                break;
            case Kinds.Reasoning:
                w.WriteString("type"u8, "reasoning"u8);
                w.WriteStartArray("summary"u8);
                if (Done)
                {
                    w.WriteStartObject();
                    w.WriteString("type"u8, "summary_text"u8);
                    w.WriteString("text"u8, Text.ToString());
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                // Sealed once, so every copy of the item (its done event, the final output, the stored item) is the same.
                if (Done) w.WriteString("encrypted_content"u8, _sealed ??= ReasoningState.Seal(seal, Text.ToString(), Blocks));
                else w.WriteNull("encrypted_content"u8);
                break;
            case Kinds.FunctionCall:
                w.WriteString("type"u8, "function_call"u8);
                w.WriteString("status"u8, Done ? "completed"u8 : "in_progress"u8);
                w.WriteString("call_id"u8, CallId);
                w.WriteString("name"u8, Name);
                if (Namespace is not null) w.WriteString("namespace"u8, Namespace);
                w.WriteString("arguments"u8, Done ? Text.ToString() : "");
                break;
            case Kinds.CustomToolCall:
                w.WriteString("type"u8, "custom_tool_call"u8);
                w.WriteString("status"u8, Done ? "completed"u8 : "in_progress"u8);
                w.WriteString("call_id"u8, CallId);
                w.WriteString("name"u8, Name);
                w.WriteString("input"u8, Done ? Text.ToString() : "");
                break;
        }
        w.WriteEndObject();
    }

    /// <summary>The message's one content part: its text, or its refusal when the model refused.</summary>
    public void WritePart(Utf8JsonWriter w, bool empty = false)
    {
        w.WriteStartObject();
        if (IsRefusal)
        {
            w.WriteString("type"u8, "refusal"u8);
            w.WriteString("refusal"u8, empty ? "" : Text.ToString());
        }
        else
        {
            w.WriteString("type"u8, "output_text"u8);
            w.WriteString("text"u8, empty ? "" : Text.ToString());
            w.WriteStartArray("annotations"u8);
            w.WriteEndArray();
            w.WriteStartArray("logprobs"u8);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
