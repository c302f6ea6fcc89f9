using System.Text.Json.Nodes;

namespace OaiProxy.Tests.Testing;

/// <summary>
/// A valid Responses stream written from the spec (OpenAI's streaming events, every ResponseResource key of the
/// Open Responses schema): a message streamed in three text deltas, then a function call streamed in two argument
/// deltas, then response.completed with both items and usage. The broken variants in the validator tests start here.
/// </summary>
internal static class ResponsesGolden
{
    // Each event is "event: TYPE" + one single-line "data: JSON" + a blank line; the stream ends with a blank line.
    public const string Stream = """
event: response.created
data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response","created_at":1741476542,"status":"in_progress","background":false,"completed_at":null,"error":null,"frequency_penalty":0.0,"incomplete_details":null,"instructions":"Answer briefly.","max_output_tokens":null,"max_tool_calls":null,"model":"gpt-4.1-2025-04-14","output":[],"parallel_tool_calls":true,"presence_penalty":0.0,"previous_response_id":null,"prompt_cache_key":null,"reasoning":{"effort":null,"summary":null},"safety_identifier":null,"service_tier":"default","store":true,"temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[{"type":"function","name":"get_weather","description":"Get the weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}],"top_logprobs":0,"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}}

event: response.in_progress
data: {"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response","created_at":1741476542,"status":"in_progress","background":false,"completed_at":null,"error":null,"frequency_penalty":0.0,"incomplete_details":null,"instructions":"Answer briefly.","max_output_tokens":null,"max_tool_calls":null,"model":"gpt-4.1-2025-04-14","output":[],"parallel_tool_calls":true,"presence_penalty":0.0,"previous_response_id":null,"prompt_cache_key":null,"reasoning":{"effort":null,"summary":null},"safety_identifier":null,"service_tier":"default","store":true,"temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[{"type":"function","name":"get_weather","description":"Get the weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}],"top_logprobs":0,"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","type":"message","status":"in_progress","content":[],"role":"assistant"}}

event: response.content_part.added
data: {"type":"response.content_part.added","sequence_number":3,"item_id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","output_index":0,"content_index":0,"delta":"Let me","logprobs":[]}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","output_index":0,"content_index":0,"delta":" check the","logprobs":[]}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":6,"item_id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","output_index":0,"content_index":0,"delta":" weather.","logprobs":[]}

event: response.output_text.done
data: {"type":"response.output_text.done","sequence_number":7,"item_id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","output_index":0,"content_index":0,"text":"Let me check the weather.","logprobs":[]}

event: response.content_part.done
data: {"type":"response.content_part.done","sequence_number":8,"item_id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":"Let me check the weather."}}

event: response.output_item.done
data: {"type":"response.output_item.done","sequence_number":9,"output_index":0,"item":{"id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Let me check the weather."}],"role":"assistant"}}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":10,"output_index":1,"item":{"id":"fc_67ccd2c0a1748190a8b5a4b4d3a1b6b60bb6a6b452d3795b","type":"function_call","status":"in_progress","arguments":"","call_id":"call_12345xyz","name":"get_weather"}}

event: response.function_call_arguments.delta
data: {"type":"response.function_call_arguments.delta","sequence_number":11,"item_id":"fc_67ccd2c0a1748190a8b5a4b4d3a1b6b60bb6a6b452d3795b","output_index":1,"delta":"{\"city\":"}

event: response.function_call_arguments.delta
data: {"type":"response.function_call_arguments.delta","sequence_number":12,"item_id":"fc_67ccd2c0a1748190a8b5a4b4d3a1b6b60bb6a6b452d3795b","output_index":1,"delta":"\"Paris\"}"}

event: response.function_call_arguments.done
data: {"type":"response.function_call_arguments.done","sequence_number":13,"item_id":"fc_67ccd2c0a1748190a8b5a4b4d3a1b6b60bb6a6b452d3795b","output_index":1,"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}

event: response.output_item.done
data: {"type":"response.output_item.done","sequence_number":14,"output_index":1,"item":{"id":"fc_67ccd2c0a1748190a8b5a4b4d3a1b6b60bb6a6b452d3795b","type":"function_call","status":"completed","arguments":"{\"city\":\"Paris\"}","call_id":"call_12345xyz","name":"get_weather"}}

event: response.completed
data: {"type":"response.completed","sequence_number":15,"response":{"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response","created_at":1741476542,"status":"completed","background":false,"completed_at":1741476543,"error":null,"frequency_penalty":0.0,"incomplete_details":null,"instructions":"Answer briefly.","max_output_tokens":null,"max_tool_calls":null,"model":"gpt-4.1-2025-04-14","output":[{"id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Let me check the weather."}],"role":"assistant"},{"id":"fc_67ccd2c0a1748190a8b5a4b4d3a1b6b60bb6a6b452d3795b","type":"function_call","status":"completed","arguments":"{\"city\":\"Paris\"}","call_id":"call_12345xyz","name":"get_weather"}],"parallel_tool_calls":true,"presence_penalty":0.0,"previous_response_id":null,"prompt_cache_key":null,"reasoning":{"effort":null,"summary":null},"safety_identifier":null,"service_tier":"default","store":true,"temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[{"type":"function","name":"get_weather","description":"Get the weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}],"top_logprobs":0,"top_p":1.0,"truncation":"disabled","usage":{"input_tokens":57,"input_tokens_details":{"cached_tokens":0},"output_tokens":21,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":78},"user":null,"metadata":{}}}


"""; // the two blank lines above end the last event

    /// <summary>The events' data objects, in order.</summary>
    public static List<JsonObject> Events() =>
        [.. Stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block => JsonNode.Parse(block.Split('\n')[1]["data: ".Length..])!.AsObject())];

    /// <summary>The stream of these events, framed like the golden one.</summary>
    public static string Sse(IEnumerable<JsonObject> events) =>
        string.Concat(events.Select(e => $"event: {e["type"]}\ndata: {e.ToJsonString()}\n\n"));

    /// <summary>The completed response object of the last event.</summary>
    public static JsonObject Completed() => Events()[^1]["response"]!.AsObject();

    /// <summary>Asserts one violation names the broken rule, showing them all when none does.</summary>
    public static void AssertReports(IReadOnlyList<string> violations, string expected) =>
        Assert.True(violations.Any(v => v.Contains(expected, StringComparison.Ordinal)),
            $"Expected a violation containing \"{expected}\"; got:\n{string.Join("\n", violations)}");
}
