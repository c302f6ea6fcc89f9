using System.Buffers;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Requests;
using OaiProxy.Usage;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// OpenAI chat chunks to Responses API events (agent-clients.md 7.2): <c>response.created</c> and
/// <c>response.in_progress</c> first; then one item at a time in <c>output_index</c> order, each opened with
/// <c>output_item.added</c>, filled with its deltas (reasoning summary text, output text or refusal, function
/// arguments, a custom tool's input) and closed with <c>output_item.done</c> before the next opens; the terminal
/// event, written by <see cref="WriteTerminal"/> once the response is stored, carries the full output and usage.
/// </summary>
internal sealed class ResponsesStreamTranslator(ResponseContext context, ResponsesToolMap tools)
{
    private readonly List<OutputItem> _output = [];
    private readonly Dictionary<int, OutputItem> _calls = [];
    private ResponsesEvents _events = null!;
    private OutputItem? _open;

    public IReadOnlyList<OutputItem> Output => _output;

    public UsageInfo? Usage { get; private set; }

    /// <summary><c>length</c> or <c>content_filter</c> when the upstream stopped short; null for a complete answer.</summary>
    public string? IncompleteReason { get; private set; }

    public void Start(IBufferWriter<byte> output)
    {
        _events = new ResponsesEvents(output);
        Lifecycle("response.created", "in_progress");
        Lifecycle("response.in_progress", "in_progress");
    }

    /// <summary>One chat chunk; written events go to the output given to <see cref="Start"/>.</summary>
    public void Add(ReadOnlySpan<byte> chunk)
    {
        var reader = new Utf8JsonReader(chunk);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (JsonFields.TryGet(root, "usage", out var usage) && usage.ValueKind == JsonValueKind.Object) Usage = UsageReader.TryRead(chunk);
        if (!JsonFields.TryGet(root, "choices", out var choices) || choices.ValueKind != JsonValueKind.Array) return;
        foreach (var choice in choices.EnumerateArray())
        {
            // A response has one output; other choices (n > 1) have no place in it.
            if (choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var index) && index != 0) continue;
            if (JsonFields.TryGet(choice, "delta", out var delta)) AddDelta(delta);
            if (JsonFields.String(choice, "finish_reason") is { } finish)
            {
                IncompleteReason = finish switch { "length" => "max_output_tokens", "content_filter" => "content_filter", _ => null };
            }
        }
    }

    private void AddDelta(JsonElement delta)
    {
        if ((JsonFields.String(delta, "reasoning_content") ?? JsonFields.String(delta, "reasoning")) is { Length: > 0 } reasoning)
        {
            var item = Ensure(OutputItem.Kinds.Reasoning);
            item.Text.Append(reasoning);
            Delta("response.reasoning_summary_text.delta", item, reasoning, summary: true);
        }
        if (JsonFields.TryGet(delta, "thinking_blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
        {
            // Signed thinking (Anthropic) arrives at the end of its block: it belongs to the reasoning item just written.
            var item = _open?.Kind == OutputItem.Kinds.Reasoning ? _open : _output.LastOrDefault(o => o.Kind == OutputItem.Kinds.Reasoning) ?? Ensure(OutputItem.Kinds.Reasoning);
            foreach (var block in blocks.EnumerateArray()) item.Blocks.Add(block.GetRawText());
        }
        if (JsonFields.String(delta, "content") is { Length: > 0 } text)
        {
            var item = Ensure(OutputItem.Kinds.Message);
            item.Text.Append(text);
            Delta("response.output_text.delta", item, text, summary: false);
        }
        if (JsonFields.String(delta, "refusal") is { Length: > 0 } refusal)
        {
            var item = Ensure(OutputItem.Kinds.Message, refusal: true);
            item.Text.Append(refusal);
            Delta("response.refusal.delta", item, refusal, summary: false);
        }
        if (JsonFields.TryGet(delta, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray()) AddCall(call);
        }
    }

    private void AddCall(JsonElement call)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        JsonFields.TryGet(call, "function", out var function);
        if (!_calls.TryGetValue(index, out var item))
        {
            Close();
            var flat = JsonFields.String(function, "name") ?? "";
            var (space, name) = tools.Restore(flat);
            var custom = tools.IsCustom(flat);
            item = new OutputItem(custom ? OutputItem.Kinds.CustomToolCall : OutputItem.Kinds.FunctionCall, ResponsesIds.New(custom ? "ctc_" : "fc_"))
            {
                CallId = JsonFields.String(call, "id") ?? ResponsesIds.New("call_"),
                Name = name,
                Namespace = space,
            };
            _calls[index] = item;
            Open(item);
        }
        if (JsonFields.String(function, "arguments") is not { Length: > 0 } arguments) return;
        item.Text.Append(arguments);
        // A custom tool's input is unwrapped from its one JSON argument when the call is complete.
        if (item == _open && item.Kind == OutputItem.Kinds.FunctionCall) Delta("response.function_call_arguments.delta", item, arguments, summary: false);
    }

    /// <summary>Closes what is open; the output is then complete.</summary>
    public void Finish() => Close();

    /// <summary>The terminal event: completed, or incomplete with its reason.</summary>
    public void WriteTerminal(long completedAt)
    {
        var status = IncompleteReason is null ? "completed" : "incomplete";
        var w = _events.Begin("response." + status);
        w.WritePropertyName("response"u8);
        ResponseResource.Write(w, context, status, _output, Usage, incompleteReason: IncompleteReason, completedAt: IncompleteReason is null ? completedAt : null);
        _events.End(w, "response." + status);
    }

    /// <summary>The stream broke after it started: <c>response.failed</c>, never an end that looks complete.</summary>
    public void Fail(ProxyError error)
    {
        Close();
        var w = _events.Begin("response.failed");
        w.WritePropertyName("response"u8);
        ResponseResource.Write(w, context, "failed", _output, Usage, error);
        _events.End(w, "response.failed");
    }

    private OutputItem Ensure(OutputItem.Kinds kind, bool refusal = false)
    {
        if (_open is { } open && open.Kind == kind && open.IsRefusal == refusal) return open;
        Close();
        var item = new OutputItem(kind, ResponsesIds.New(kind == OutputItem.Kinds.Reasoning ? "rs_" : "msg_")) { IsRefusal = refusal };
        Open(item);
        return item;
    }

    private void Open(OutputItem item)
    {
        _output.Add(item);
        _open = item;
        var w = _events.Begin("response.output_item.added");
        w.WriteNumber("output_index"u8, _output.Count - 1);
        w.WritePropertyName("item"u8);
        item.Write(w, context.Seal);
        _events.End(w, "response.output_item.added");
        if (item.Kind == OutputItem.Kinds.Message)
        {
            w = Part("response.content_part.added", item);
            w.WritePropertyName("part"u8);
            item.WritePart(w, empty: true);
            _events.End(w, "response.content_part.added");
        }
        else if (item.Kind == OutputItem.Kinds.Reasoning)
        {
            w = Summary("response.reasoning_summary_part.added", item);
            w.WriteStartObject("part"u8);
            w.WriteString("type"u8, "summary_text"u8);
            w.WriteString("text"u8, ""u8);
            w.WriteEndObject();
            _events.End(w, "response.reasoning_summary_part.added");
        }
    }

    private void Close()
    {
        if (_open is not { } item) return;
        _open = null;
        item.Done = true;
        switch (item.Kind)
        {
            case OutputItem.Kinds.Message:
                var refused = item.IsRefusal;
                var w = Part(refused ? "response.refusal.done" : "response.output_text.done", item);
                if (refused) w.WriteString("refusal"u8, item.Text.ToString());
                else
                {
                    w.WriteString("text"u8, item.Text.ToString());
                    w.WriteStartArray("logprobs"u8);
                    w.WriteEndArray();
                }
                _events.End(w, refused ? "response.refusal.done" : "response.output_text.done");
                w = Part("response.content_part.done", item);
                w.WritePropertyName("part"u8);
                item.WritePart(w);
                _events.End(w, "response.content_part.done");
                break;
            case OutputItem.Kinds.Reasoning:
                w = Summary("response.reasoning_summary_text.done", item);
                w.WriteString("text"u8, item.Text.ToString());
                _events.End(w, "response.reasoning_summary_text.done");
                w = Summary("response.reasoning_summary_part.done", item);
                w.WriteStartObject("part"u8);
                w.WriteString("type"u8, "summary_text"u8);
                w.WriteString("text"u8, item.Text.ToString());
                w.WriteEndObject();
                _events.End(w, "response.reasoning_summary_part.done");
                break;
            case OutputItem.Kinds.FunctionCall:
                w = ItemEvent("response.function_call_arguments.done", item);
                w.WriteString("name"u8, item.Name);
                w.WriteString("arguments"u8, item.Text.ToString());
                _events.End(w, "response.function_call_arguments.done");
                break;
            case OutputItem.Kinds.CustomToolCall:
                var input = CustomInput(item.Text.ToString());
                item.Text.Clear().Append(input);
                if (input.Length > 0)
                {
                    w = ItemEvent("response.custom_tool_call_input.delta", item);
                    w.WriteString("delta"u8, input);
                    _events.End(w, "response.custom_tool_call_input.delta");
                }
                w = ItemEvent("response.custom_tool_call_input.done", item);
                w.WriteString("input"u8, input);
                _events.End(w, "response.custom_tool_call_input.done");
                break;
        }
        var done = _events.Begin("response.output_item.done");
        done.WriteNumber("output_index"u8, _output.IndexOf(item));
        done.WritePropertyName("item"u8);
        item.Write(done, context.Seal);
        _events.End(done, "response.output_item.done");
    }

    /// <summary>The free-form input a custom tool was called with, from the one JSON argument it was declared with.</summary>
    public static string CustomInput(string arguments)
    {
        try
        {
            using var document = JsonDocument.Parse(arguments);
            return JsonFields.String(document.RootElement, ResponsesToolMap.CustomInputArgument) ?? arguments;
        }
        catch (JsonException)
        {
            return arguments;
        }
    }

    private void Delta(string type, OutputItem item, string delta, bool summary)
    {
        var w = summary ? Summary(type, item) : item.Kind == OutputItem.Kinds.Message ? Part(type, item) : ItemEvent(type, item);
        w.WriteString("delta"u8, delta);
        if (type == "response.output_text.delta")
        {
            w.WriteStartArray("logprobs"u8);
            w.WriteEndArray();
        }
        _events.End(w, type);
    }

    private Utf8JsonWriter ItemEvent(string type, OutputItem item)
    {
        var w = _events.Begin(type);
        w.WriteString("item_id"u8, item.Id);
        w.WriteNumber("output_index"u8, _output.IndexOf(item));
        return w;
    }

    private Utf8JsonWriter Part(string type, OutputItem item)
    {
        var w = ItemEvent(type, item);
        w.WriteNumber("content_index"u8, 0);
        return w;
    }

    private Utf8JsonWriter Summary(string type, OutputItem item)
    {
        var w = ItemEvent(type, item);
        w.WriteNumber("summary_index"u8, 0);
        return w;
    }

    private void Lifecycle(string type, string status)
    {
        var w = _events.Begin(type);
        w.WritePropertyName("response"u8);
        ResponseResource.Write(w, context, status, _output, null);
        _events.End(w, type);
    }
}
