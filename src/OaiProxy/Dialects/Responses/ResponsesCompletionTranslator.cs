using System.Buffers;
using System.Text.Json;
using OaiProxy.Requests;
using OaiProxy.Usage;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// A chat completion to a Responses object: reasoning first (with its replay state sealed), then the message (or
/// its refusal), then each tool call as a function or custom tool call with its namespace restored; a length stop
/// is <c>incomplete</c> with <c>max_output_tokens</c>.
/// </summary>
internal static class ResponsesCompletionTranslator
{
    public static (byte[] Json, IReadOnlyList<OutputItem> Output) ToResponse(ReadOnlySpan<byte> completion, ResponseContext context, ResponsesToolMap tools,
        long completedAt)
    {
        var output = new List<OutputItem>();
        string? incomplete = null;
        var reader = new Utf8JsonReader(completion);
        using (var document = JsonDocument.ParseValue(ref reader))
        {
            var root = document.RootElement;
            if (JsonFields.TryGet(root, "choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
            {
                var choice = choices[0];
                JsonFields.TryGet(choice, "message", out var message);
                AddMessage(message, output, tools);
                incomplete = JsonFields.String(choice, "finish_reason") switch { "length" => "max_output_tokens", "content_filter" => "content_filter", _ => null };
            }
        }
        foreach (var item in output) item.Done = true;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            ResponseResource.Write(w, context, incomplete is null ? "completed" : "incomplete", output, UsageReader.TryRead(completion),
                incompleteReason: incomplete, completedAt: incomplete is null ? completedAt : null);
        }
        return (buffer.WrittenSpan.ToArray(), output);
    }

    private static void AddMessage(JsonElement message, List<OutputItem> output, ResponsesToolMap tools)
    {
        var reasoning = JsonFields.String(message, "reasoning_content") ?? JsonFields.String(message, "reasoning");
        var hasBlocks = JsonFields.TryGet(message, "thinking_blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array;
        if (reasoning is { Length: > 0 } || hasBlocks)
        {
            var item = new OutputItem(OutputItem.Kinds.Reasoning, ResponsesIds.New("rs_"));
            item.Text.Append(reasoning);
            if (hasBlocks)
            {
                foreach (var block in blocks.EnumerateArray()) item.Blocks.Add(block.GetRawText());
            }
            output.Add(item);
        }
        if (JsonFields.String(message, "refusal") is { Length: > 0 } refusal)
        {
            var item = new OutputItem(OutputItem.Kinds.Message, ResponsesIds.New("msg_")) { IsRefusal = true };
            item.Text.Append(refusal);
            output.Add(item);
        }
        else if (JsonFields.String(message, "content") is { Length: > 0 } text)
        {
            var item = new OutputItem(OutputItem.Kinds.Message, ResponsesIds.New("msg_"));
            item.Text.Append(text);
            output.Add(item);
        }
        if (!JsonFields.TryGet(message, "tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array) return;
        foreach (var call in calls.EnumerateArray())
        {
            JsonFields.TryGet(call, "function", out var function);
            var flat = JsonFields.String(function, "name") ?? "";
            var (space, name) = tools.Restore(flat);
            var custom = tools.IsCustom(flat);
            var item = new OutputItem(custom ? OutputItem.Kinds.CustomToolCall : OutputItem.Kinds.FunctionCall, ResponsesIds.New(custom ? "ctc_" : "fc_"))
            {
                CallId = JsonFields.String(call, "id") ?? ResponsesIds.New("call_"),
                Name = name,
                Namespace = space,
            };
            var arguments = JsonFields.String(function, "arguments") ?? "{}";
            item.Text.Append(custom ? ResponsesStreamTranslator.CustomInput(arguments) : arguments);
            output.Add(item);
        }
    }
}
