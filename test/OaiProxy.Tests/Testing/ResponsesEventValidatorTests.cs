using System.Text.Json.Nodes;
using OaiProxy.Testing.OpenAi;
using OaiProxy.Testing.Responses;

namespace OaiProxy.Tests.Testing;

public sealed class ResponsesEventValidatorTests
{
    [Fact]
    public void Validate_GoldenStream_HasNoViolations()
    {
        Assert.Empty(ResponsesEventValidator.Validate(ResponsesGolden.Stream));
        ResponsesEventValidator.AssertValid(ResponsesGolden.Sse(ResponsesGolden.Events()));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("function_call")]
    [InlineData("custom_tool_call")]
    [InlineData("reasoning")]
    [InlineData("incomplete")]
    public void Validate_StreamsOfTheWireHelpers_HaveNoViolations(string kind)
    {
        var (items, status) = kind switch
        {
            "function_call" => ([OpenAiResponsesWire.FunctionCall("fc_1", "call_1", "get_weather", """{"city":"Paris"}""")], "completed"),
            "custom_tool_call" => ([OpenAiResponsesWire.CustomToolCall("ctc_1", "call_1", "apply_patch", "*** Begin Patch\n*** End Patch\n")], "completed"),
            "reasoning" => ([OpenAiResponsesWire.Reasoning("rs_1", "Thinking it over.", "opaque"), OpenAiResponsesWire.Message("msg_1", "Done.")], "completed"),
            "incomplete" => ([OpenAiResponsesWire.Message("msg_1", "Cut", "incomplete")], "incomplete"),
            _ => (new List<JsonObject> { OpenAiResponsesWire.Message("msg_1", "Hello there, world!") }, "completed"),
        };
        var request = new JsonObject { ["model"] = "gpt-4o", ["tools"] = new JsonArray(new JsonObject { ["type"] = "function", ["name"] = "get_weather" }) };

        var sse = OpenAiResponsesWire.Sse(OpenAiResponsesWire.Events("resp_1", "gpt-4o", items, OpenAiResponsesWire.Usage(9, 4), request, status));

        ResponsesEventValidator.AssertValid(sse);
        ResponseResourceValidator.AssertValid(OpenAiResponsesWire.Response("resp_1", "gpt-4o", items, null, request, status).ToJsonString());
    }

    [Fact]
    public void Validate_StreamEndingWithAnErrorEvent_HasNoViolations()
    {
        var events = ResponsesGolden.Events()[..5];
        events.Add(new JsonObject { ["type"] = "error", ["sequence_number"] = 5, ["code"] = "server_error", ["message"] = "The upstream failed.", ["param"] = null });

        Assert.Empty(ResponsesEventValidator.Validate(ResponsesGolden.Sse(events)));
    }

    [Theory]
    // Framing (the Open Responses SSE parser: LF only, last data: line only, [DONE] skipped).
    [InlineData("crlf", "carriage return at line 1")]
    [InlineData("no-final-blank-line", "does not end with a blank line")]
    [InlineData("no-event-line", "0 event: lines")]
    [InlineData("multi-line-data", "2 data: lines")]
    [InlineData("done-sentinel", "[DONE]")]
    [InlineData("data-not-json", "data is not JSON")]
    [InlineData("id-line", "unexpected line \"id: 7\"")]
    // Event schemas.
    [InlineData("vendor-event", "(codex.rate_limits): is not an event type of the Responses API")]
    [InlineData("name-differs", "the event: name \"response.output_text.done\" differs from the data's type \"response.output_text.delta\"")]
    [InlineData("no-sequence-number", "data.sequence_number: missing")]
    [InlineData("no-logprobs", "(response.output_text.delta) data.logprobs: missing")]
    [InlineData("index-as-string", "data.output_index: must be an integer, got the string \"0\"")]
    [InlineData("arguments-done-without-name", "(response.function_call_arguments.done) data.name: missing")]
    [InlineData("part-without-annotations", "data.part.annotations: missing")]
    [InlineData("item-without-call-id", "data.item.call_id: missing")]
    [InlineData("error-without-message", "(error) data.message: missing")]
    [InlineData("terminal-resource-broken", "(response.completed) data.response.usage.input_tokens_details: missing")]
    [InlineData("snapshot-resource-broken", "(response.created) data.response.tools: missing")]
    // Order and identity.
    [InlineData("sequence-not-increasing", "sequence_number 4 is not greater than the previous event's 5")]
    [InlineData("created-not-first", "event #0 (response.in_progress): the first event must be response.created")]
    [InlineData("no-in-progress", "comes before response.in_progress")]
    [InlineData("delta-before-item-added", "refers to output_index 0, which no response.output_item.added opened")]
    [InlineData("delta-with-other-item-id", "item id \"msg_other\" does not match")]
    [InlineData("delta-after-item-done", "comes after response.output_item.done of output item 0")]
    [InlineData("delta-before-part-added", "refers to content:0, which no response.content_part.added opened")]
    [InlineData("output-index-skipped", "output_index 2 is out of order")]
    [InlineData("arguments-on-message", "does not belong to output item 0, a message")]
    [InlineData("deltas-differ-from-done", "differs from the concatenated deltas")]
    [InlineData("done-item-differs", "item content:0 is \"Something else.\" but the stream sent \"Let me check the weather.\"")]
    [InlineData("part-never-closed", "closes the item before its content:0 got its closing event")]
    [InlineData("item-never-closed", "was never closed by response.output_item.done")]
    [InlineData("no-terminal", "ends without a terminal event")]
    [InlineData("two-terminals", "comes after the stream's last event")]
    [InlineData("response-id-changes", "response.id \"resp_other\" differs")]
    [InlineData("model-changes", "response.model \"gpt-4o\" differs")]
    [InlineData("terminal-status-mismatch", "response.status must be \"completed\" here, got \"in_progress\"")]
    [InlineData("terminal-output-empty", "response.output has 0 items, but the stream closed 2")]
    [InlineData("terminal-output-differs", "response.output[1] differs from the item of its response.output_item.done")]
    public void Validate_BrokenVariant_ReportsTheRule(string rule, string expected)
    {
        ResponsesGolden.AssertReports(ResponsesEventValidator.Validate(Variant(rule)), expected);
        Assert.Throws<InvalidDataException>(() => ResponsesEventValidator.AssertValid(Variant(rule)));
    }

    private static string Variant(string rule) => rule switch
    {
        "crlf" => ResponsesGolden.Stream.Replace("\n", "\r\n", StringComparison.Ordinal),
        "no-final-blank-line" => ResponsesGolden.Stream.TrimEnd('\n'),
        "no-event-line" => ResponsesGolden.Stream.Replace("event: response.output_text.done\n", "", StringComparison.Ordinal),
        "multi-line-data" => ResponsesGolden.Stream.Replace("\"delta\":\"Let me\",", "\"delta\":\"Let me\",\ndata: ", StringComparison.Ordinal),
        "done-sentinel" => ResponsesGolden.Stream + "data: [DONE]\n\n",
        "data-not-json" => ResponsesGolden.Stream.Replace("\"delta\":\"Let me\"", "\"delta\":Let me", StringComparison.Ordinal),
        "id-line" => ResponsesGolden.Stream.Replace("event: response.output_text.done\n", "event: response.output_text.done\nid: 7\n", StringComparison.Ordinal),
        "name-differs" => ResponsesGolden.Stream.Replace("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4",
            "event: response.output_text.done\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4", StringComparison.Ordinal),
        "sequence-not-increasing" => Edit(e => (e[4]["sequence_number"], e[5]["sequence_number"]) = (5, 4), renumber: false),
        _ => Edit(EditFor(rule)),
    };

    private static Action<List<JsonObject>> EditFor(string rule) => rule switch
    {
        "vendor-event" => e => e.Insert(2, new JsonObject { ["type"] = "codex.rate_limits", ["primary"] = new JsonObject() }),
        "no-sequence-number" => e => e[3].Remove("sequence_number"),
        "no-logprobs" => e => e[4].Remove("logprobs"),
        "index-as-string" => e => e[4]["output_index"] = "0",
        "arguments-done-without-name" => e => e[13].Remove("name"),
        "part-without-annotations" => e => e[3]["part"]!.AsObject().Remove("annotations"),
        "item-without-call-id" => e => e[14]["item"]!.AsObject().Remove("call_id"),
        "error-without-message" => e => e.Insert(5, new JsonObject { ["type"] = "error", ["code"] = "server_error", ["param"] = null }),
        "terminal-resource-broken" => e => e[15]["response"]!["usage"]!.AsObject().Remove("input_tokens_details"),
        "snapshot-resource-broken" => e => e[0]["response"]!.AsObject().Remove("tools"),
        "created-not-first" => e => (e[0], e[1]) = (e[1], e[0]),
        "no-in-progress" => e => e.RemoveAt(1),
        "delta-before-item-added" => e => Move(e, 4, 2),
        "delta-with-other-item-id" => e => e[4]["item_id"] = "msg_other",
        "delta-after-item-done" => e => Move(e, 6, 9),
        "delta-before-part-added" => e => Move(e, 3, 8),
        "output-index-skipped" => e => e[10]["output_index"] = 2,
        "arguments-on-message" => e => e[5]["type"] = "response.function_call_arguments.delta",
        "deltas-differ-from-done" => e => e[5]["delta"] = " check a",
        "done-item-differs" => e => e[9]["item"]!["content"]![0]!["text"] = "Something else.",
        "part-never-closed" => e => e.RemoveAt(8),
        "item-never-closed" => e => e.RemoveAt(14),
        "no-terminal" => e => e.RemoveAt(15),
        "two-terminals" => e => e.Add(e[15].DeepClone().AsObject()),
        "response-id-changes" => e => e[15]["response"]!["id"] = "resp_other",
        "model-changes" => e => e[1]["response"]!["model"] = "gpt-4o",
        "terminal-status-mismatch" => e => e[15]["response"]!["status"] = "in_progress",
        "terminal-output-empty" => e => e[15]["response"]!["output"] = new JsonArray(),
        "terminal-output-differs" => e => e[15]["response"]!["output"]![1]!["arguments"] = "{}",
        _ => throw new ArgumentException($"No variant named '{rule}'.", nameof(rule)),
    };

    /// <summary>The golden stream with one edit; sequence numbers are renumbered so only the edited rule breaks.</summary>
    private static string Edit(Action<List<JsonObject>> edit, bool renumber = true)
    {
        var events = ResponsesGolden.Events();
        edit(events);
        if (renumber)
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].ContainsKey("sequence_number")) events[i]["sequence_number"] = i;
            }
        }
        return ResponsesGolden.Sse(events);
    }

    private static void Move(List<JsonObject> events, int from, int to)
    {
        var e = events[from];
        events.RemoveAt(from);
        events.Insert(to, e);
    }
}
