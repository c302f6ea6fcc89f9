using System.Text.Json.Nodes;
using OaiProxy.Testing.Scenarios;

namespace OaiProxy.Testing.OpenAi;

/// <summary>
/// The scripted turns of the client scenarios (<see cref="Scenario"/>) on OpenAI's two wires: as Responses API output
/// items for <see cref="FakeOpenAiServer.ResponsesHandler"/>, and as chat completions (JSON or a stream, as asked) for
/// <see cref="FakeOpenAiServer.Handler"/>, the answer of a chat-only server the proxy translates for.
/// </summary>
public static class ScenarioReplies
{
    public static FakeReply Responses(RecordedRequest request)
    {
        var json = request.Json;
        var outputs = (json["input"] as JsonArray ?? []).Count(i => i?["type"]?.ToString() is "function_call_output" or "custom_tool_call_output");
        var tools = (json["tools"] as JsonArray ?? []).Select(t => t?["name"]?.ToString()).ToHashSet();
        var turn = outputs + 1;
        var schema = json["text"]?["format"]?["type"]?.ToString() == "json_schema";
        var image = (json["input"] as JsonArray ?? []).Any(i => (i?["content"] as JsonArray ?? []).Any(p => p?["type"]?.ToString() == "input_image"));
        return Scenario.Next(outputs, tools, (json["tool_choice"] as JsonObject)?["name"]?.ToString(), schema, image) switch
        {
            ScenarioStep.Shell => Output(OpenAiResponsesWire.FunctionCall("fc_codex_shell", "call_codex_shell", "exec_command", Scenario.ShellArguments)),
            ScenarioStep.Patch => Output(OpenAiResponsesWire.CustomToolCall("ctc_codex_patch", "call_codex_patch", "apply_patch", Scenario.Patch)),
            ScenarioStep.CodexAnswer => Output(OpenAiResponsesWire.Message($"msg_codex_{turn}", Scenario.CodexAnswer)),
            ScenarioStep.WeatherAnswer => Output(OpenAiResponsesWire.Message($"msg_weather_{turn}", Scenario.WeatherAnswer)),
            ScenarioStep.WeatherCall => Output(OpenAiResponsesWire.FunctionCall($"fc_weather_{turn}", $"call_weather_{turn}", "get_weather", Scenario.WeatherArguments)),
            ScenarioStep.WeatherReport => Output(OpenAiResponsesWire.Message("msg_weather_report", Scenario.WeatherReport)),
            ScenarioStep.ImageAnswer => Output(OpenAiResponsesWire.Message("msg_image", Scenario.ImageAnswer)),
            _ => FakeReply.Default,
        };
    }

    /// <summary>The same turns from a chat-only server: a custom tool such as <c>apply_patch</c> is a function taking one <c>input</c> string.</summary>
    public static FakeReply Chat(RecordedRequest request)
    {
        var json = request.Json;
        var outputs = (json["messages"] as JsonArray ?? []).Count(m => m?["role"]?.ToString() == "tool");
        var tools = (json["tools"] as JsonArray ?? []).Select(t => t?["function"]?["name"]?.ToString()).ToHashSet();
        var forced = (json["tool_choice"] as JsonObject)?["function"]?["name"]?.ToString();
        var turn = outputs + 1;
        var schema = json["response_format"]?["type"]?.ToString() == "json_schema";
        var image = (json["messages"] as JsonArray ?? []).Any(m => (m?["content"] as JsonArray ?? []).Any(p => p?["type"]?.ToString() == "image_url"));
        return Scenario.Next(outputs, tools, forced, schema, image) switch
        {
            ScenarioStep.Shell => ChatCall(request, "call_codex_shell", "exec_command", Scenario.ShellArguments),
            ScenarioStep.Patch => ChatCall(request, "call_codex_patch", "apply_patch", new JsonObject { ["input"] = Scenario.Patch }.ToJsonString()),
            ScenarioStep.CodexAnswer => ChatText(request, $"chatcmpl-codex-{turn}", Scenario.CodexAnswer),
            ScenarioStep.WeatherAnswer => ChatText(request, $"chatcmpl-weather-{turn}", Scenario.WeatherAnswer),
            ScenarioStep.WeatherCall => ChatCall(request, $"call_weather_{turn}", "get_weather", Scenario.WeatherArguments),
            ScenarioStep.WeatherReport => ChatText(request, "chatcmpl-weather-report", Scenario.WeatherReport),
            ScenarioStep.ImageAnswer => ChatText(request, "chatcmpl-image", Scenario.ImageAnswer),
            _ => FakeReply.Default,
        };
    }

    private static FakeReply.Output Output(JsonObject item) => new([item], Usage: OpenAiResponsesWire.Usage(40, 12));

    private static bool IncludeUsage(RecordedRequest request) => request.Json["stream_options"]?["include_usage"]?.GetValue<bool>() == true;

    private static FakeReply ChatText(RecordedRequest request, string id, string text) => request.Stream
        ? new FakeReply.Stream(OpenAiWire.TextStream(id, request.Model!, text, IncludeUsage(request), promptTokens: 40))
        : new FakeReply.Raw(200, OpenAiWire.Completion(id, request.Model!, text, promptTokens: 40, completionTokens: 12).ToJsonString());

    private static FakeReply ChatCall(RecordedRequest request, string callId, string name, string arguments)
    {
        var id = "chatcmpl-" + callId;
        if (request.Stream) return new FakeReply.Stream(OpenAiWire.ToolCallStream(id, request.Model!, [(callId, name, arguments)], IncludeUsage(request)));
        var call = new JsonObject { ["id"] = callId, ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments } };
        return new FakeReply.Raw(200, OpenAiWire.Completion(id, request.Model!, null, "tool_calls", new JsonArray(call), promptTokens: 40, completionTokens: 12).ToJsonString());
    }
}
