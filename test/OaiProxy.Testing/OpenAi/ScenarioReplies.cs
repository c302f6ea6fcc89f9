using System.Text.Json.Nodes;

namespace OaiProxy.Testing.OpenAi;

/// <summary>
/// The scripted upstream turns the client scenarios in <c>test/clients/scenarios/</c> expect, for
/// <see cref="FakeOpenAiServer.ResponsesHandler"/>. The turn is read from the request, as a stateless upstream must:
/// <list type="bullet">
/// <item>Codex (it offers <c>exec_command</c>): a shell command, then an <c>apply_patch</c> custom tool call, then a final message.</item>
/// <item>A request offering <c>get_weather</c> without a tool output yet (or forcing it): a <c>get_weather</c> call for Paris.</item>
/// <item>A request carrying a tool output: <see cref="WeatherAnswer"/>.</item>
/// <item>Anything else: the fake's default text answer.</item>
/// </list>
/// </summary>
public static class ScenarioReplies
{
    public const string ShellCommand = "echo shell-ok > shell.txt";
    public const string PatchedFile = "hello.txt";
    public const string PatchedText = "hello from a patch";
    public const string CodexAnswer = "Created shell.txt and hello.txt.";
    public const string WeatherAnswer = "It is sunny in Paris, 21 °C.";
    public const string WeatherArguments = """{"city":"Paris"}""";

    public static FakeReply Responses(RecordedRequest request)
    {
        var json = request.Json;
        var outputs = (json["input"] as JsonArray ?? []).Count(i => i?["type"]?.ToString() is "function_call_output" or "custom_tool_call_output");
        var tools = (json["tools"] as JsonArray ?? []).Select(t => t?["name"]?.ToString()).ToHashSet();
        var forced = (json["tool_choice"] as JsonObject)?["name"]?.ToString();
        var turn = outputs + 1;
        if (tools.Contains("exec_command"))
        {
            return Output(outputs switch
            {
                0 => OpenAiResponsesWire.FunctionCall("fc_codex_shell", "call_codex_shell", "exec_command", new JsonObject { ["cmd"] = ShellCommand }.ToJsonString()),
                1 => OpenAiResponsesWire.CustomToolCall("ctc_codex_patch", "call_codex_patch", "apply_patch",
                    $"*** Begin Patch\n*** Add File: {PatchedFile}\n+{PatchedText}\n*** End Patch\n"),
                _ => OpenAiResponsesWire.Message($"msg_codex_{turn}", CodexAnswer),
            });
        }
        if (outputs > 0) return Output(OpenAiResponsesWire.Message($"msg_weather_{turn}", WeatherAnswer));
        if (tools.Contains("get_weather") || forced == "get_weather")
        {
            return Output(OpenAiResponsesWire.FunctionCall($"fc_weather_{turn}", $"call_weather_{turn}", "get_weather", WeatherArguments));
        }
        return FakeReply.Default;
    }

    private static FakeReply.Output Output(JsonObject item) => new([item], Usage: OpenAiResponsesWire.Usage(40, 12));
}
