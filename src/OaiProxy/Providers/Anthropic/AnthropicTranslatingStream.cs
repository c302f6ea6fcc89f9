using System.Text.Json;
using Microsoft.Extensions.Logging;
using OaiProxy.Errors;
using OaiProxy.Requests;
using OaiProxy.Streaming;
using OaiProxy.Usage;
using OaiProxy.Wire;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// Translates an Anthropic Messages event stream into OpenAI chunks (protocols.md 4.3): the role first, text and
/// thinking as content and reasoning_content deltas, each tool_use block as a tool call whose first delta carries
/// index, id and name and whose argument fragments follow in order, then the finish reason and, when asked for,
/// the usage chunk. An <c>error</c> event, a cut connection or an end before <c>message_stop</c> ends the stream
/// with an error rather than a false success. Pings and unknown events are ignored.
/// </summary>
internal sealed class AnthropicTranslatingStream : TranslatingEventStream
{
    private readonly SecretScrubber _secrets;
    private readonly ILogger _logger;
    private readonly OpenAiChunkWriter _chunks;
    private readonly Dictionary<int, AnthropicBlockState> _blocks = [];
    private readonly AnthropicUsage _usage = new();
    private int _nextToolIndex;
    private bool _sawUsage;

    /// <summary>The usage Anthropic reported so far, whether or not the client asked for it in the stream.</summary>
    public override UsageInfo? Usage => _sawUsage ? _usage.ToUsageInfo() : null;

    public AnthropicTranslatingStream(HttpResponseMessage? response, Stream body, string connection, SecretScrubber secrets,
        bool includeUsage, long created, ILogger logger)
        : base(response, body, connection)
    {
        _secrets = secrets;
        _logger = logger;
        _chunks = new OpenAiChunkWriter(created, includeUsage) { Id = "msg_unknown" };
    }

    protected override void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data) => Handle(data);

    private void ReadUsage(JsonElement usage)
    {
        _usage.Read(usage);
        _sawUsage = true;
    }

    protected override void OnEnd()
    {
        Fail("The upstream stream ended before message_stop; the response is incomplete.");
    }

    private void Handle(ReadOnlySpan<byte> data)
    {
        using var document = JsonDocument.Parse(data.ToArray());
        var e = document.RootElement;
        switch (JsonFields.String(e, "type"))
        {
            case "message_start":
                JsonFields.TryGet(e, "message", out var message);
                _chunks.Id = JsonFields.String(message, "id") ?? _chunks.Id;
                _chunks.Model = JsonFields.String(message, "model") ?? _chunks.Model;
                if (JsonFields.TryGet(message, "usage", out var startUsage)) ReadUsage(startUsage);
                Pending.Enqueue(_chunks.Role());
                break;
            case "content_block_start":
                BlockStart(e);
                break;
            case "content_block_delta":
                BlockDelta(e);
                break;
            case "content_block_stop":
                BlockStop(e);
                break;
            case "message_delta":
                if (JsonFields.TryGet(e, "usage", out var deltaUsage)) ReadUsage(deltaUsage);
                JsonFields.TryGet(e, "delta", out var delta);
                var stopReason = JsonFields.String(delta, "stop_reason");
                var finish = AnthropicFinishReasons.ToOpenAi(stopReason, out var known);
                if (!known) AnthropicLog.UnknownStopReason(_logger, Connection, stopReason);
                Pending.Enqueue(_chunks.Finish(finish));
                break;
            case "message_stop":
                if (_chunks.IncludeUsage) Pending.Enqueue(_chunks.Usage(_usage.ToUsageInfo()));
                Finished = true;
                break;
            case "error":
                Error = AnthropicErrors.FromStreamEvent(e, Connection, _secrets);
                break;
        }
    }

    private void BlockStart(JsonElement e)
    {
        var index = Index(e);
        JsonFields.TryGet(e, "content_block", out var block);
        var type = JsonFields.String(block, "type") ?? "";
        switch (type)
        {
            case "tool_use":
                var state = new AnthropicBlockState
                {
                    Type = type,
                    ToolIndex = _nextToolIndex++,
                    StartInput = JsonFields.TryGet(block, "input", out var input) && input.ValueKind == JsonValueKind.Object && input.EnumerateObject().Any()
                        ? JsonFields.Compact(input)
                        : null,
                };
                _blocks[index] = state;
                Pending.Enqueue(_chunks.ToolCallStart(state.ToolIndex, JsonFields.String(block, "id"), JsonFields.String(block, "name")));
                break;
            case "text":
                _blocks[index] = new AnthropicBlockState { Type = type };
                if (JsonFields.String(block, "text") is { Length: > 0 } text) Pending.Enqueue(_chunks.Content(text));
                break;
            case "thinking":
                var thinkingState = new AnthropicBlockState { Type = type, Thinking = new System.Text.StringBuilder(), Signature = JsonFields.String(block, "signature") };
                _blocks[index] = thinkingState;
                if (JsonFields.String(block, "thinking") is { Length: > 0 } thinking)
                {
                    thinkingState.Thinking.Append(thinking);
                    Pending.Enqueue(_chunks.Reasoning(thinking));
                }
                break;
            case "redacted_thinking":
                // Nothing a reader can use, but the next turn must send it back as it was: the signed-blocks delta carries it.
                _blocks[index] = new AnthropicBlockState { Type = type };
                Pending.Enqueue(ThinkingBlocks(block.GetRawText()));
                break;
            default:
                // Server tools and their results: nothing an OpenAI client can use.
                _blocks[index] = new AnthropicBlockState { Type = type };
                break;
        }
    }

    private void BlockDelta(JsonElement e)
    {
        if (!_blocks.TryGetValue(Index(e), out var state)) return;
        JsonFields.TryGet(e, "delta", out var delta);
        switch (JsonFields.String(delta, "type"))
        {
            case "text_delta" when state.Type == "text":
                if (JsonFields.String(delta, "text") is { Length: > 0 } text) Pending.Enqueue(_chunks.Content(text));
                break;
            case "thinking_delta" when state.Type == "thinking":
                if (JsonFields.String(delta, "thinking") is { Length: > 0 } thinking)
                {
                    state.Thinking?.Append(thinking);
                    Pending.Enqueue(_chunks.Reasoning(thinking));
                }
                break;
            case "signature_delta" when state.Type == "thinking":
                state.Signature = JsonFields.String(delta, "signature");
                break;
            case "input_json_delta" when state.Type == "tool_use":
                if (JsonFields.String(delta, "partial_json") is { Length: > 0 } json)
                {
                    Pending.Enqueue(_chunks.ToolCallArguments(state.ToolIndex, json));
                    state.ArgumentsEmitted = true;
                }
                break;
        }
    }

    private void BlockStop(JsonElement e)
    {
        var index = Index(e);
        if (!_blocks.Remove(index, out var state)) return;
        // A tool without arguments streams no fragment, and some compatible servers put the whole input in
        // content_block_start: either way the client must end up with a JSON object, never "".
        if (state.Type == "tool_use" && !state.ArgumentsEmitted) Pending.Enqueue(_chunks.ToolCallArguments(state.ToolIndex, state.StartInput ?? "{}"));
        // A signed thinking block goes back whole (LiteLLM's thinking_blocks), so a client can replay it next turn.
        if (state.Type == "thinking" && state.Signature is { } signature)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(state.Thinking!.Length + signature.Length + 64);
            using (var writer = new Utf8JsonWriter(buffer, Wire.WireJson.WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "thinking"u8);
                writer.WriteString("thinking"u8, state.Thinking.ToString());
                writer.WriteString("signature"u8, signature);
                writer.WriteEndObject();
            }
            Pending.Enqueue(ThinkingBlocks(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)));
        }
    }

    private byte[] ThinkingBlocks(string block)
    {
        var writer = _chunks.Begin();
        writer.WriteStartArray("thinking_blocks"u8);
        writer.WriteRawValue(block);
        writer.WriteEndArray();
        return _chunks.End(writer);
    }

    private static int Index(JsonElement e) =>
        JsonFields.TryGet(e, "index", out var index) && index.ValueKind == JsonValueKind.Number ? index.GetInt32() : -1;
}
