using System.Text.Json.Nodes;
using OaiProxy.Testing.OpenAi;
using OaiProxy.Testing.Scenarios;

namespace OaiProxy.Testing.Anthropic;

/// <summary>The scripted turns of the client scenarios (<see cref="Scenario"/>) as Anthropic messages, for <see cref="FakeAnthropicServer.Handler"/>.</summary>
public static class AnthropicScenarioReplies
{
    public static AnthropicReply Messages(RecordedRequest request)
    {
        var json = request.Json;
        var outputs = (json["messages"] as JsonArray ?? [])
            .Where(m => m?["role"]?.ToString() == "user")
            .Sum(m => (m!["content"] as JsonArray ?? []).Count(b => b?["type"]?.ToString() == "tool_result"));
        var tools = (json["tools"] as JsonArray ?? []).Select(t => t?["name"]?.ToString()).ToHashSet();
        var forced = json["tool_choice"]?["name"]?.ToString();
        // With extended thinking on, the real API always thinks first, and wants that block back in a tool loop.
        var thinking = json["thinking"]?["type"]?.ToString() == "enabled";
        var schema = json["output_config"]?["format"]?["type"]?.ToString() == "json_schema";
        var image = (json["messages"] as JsonArray ?? []).Any(m => (m?["content"] as JsonArray ?? []).Any(b => b?["type"]?.ToString() == "image"));
        return Scenario.Next(outputs, tools, forced, schema, image) switch
        {
            ScenarioStep.Shell => Answer(thinking, "tool_use", ToolUse("toolu_codex_shell", "exec_command", Scenario.ShellArguments)),
            ScenarioStep.Patch => Answer(thinking, "tool_use", ToolUse("toolu_codex_patch", "apply_patch", new JsonObject { ["input"] = Scenario.Patch }.ToJsonString())),
            ScenarioStep.CodexAnswer => Answer(thinking, "end_turn", AnthropicWire.Text(Scenario.CodexAnswer)),
            ScenarioStep.WeatherAnswer => Answer(thinking, "end_turn", AnthropicWire.Text(Scenario.WeatherAnswer)),
            ScenarioStep.WeatherCall => Answer(thinking, "tool_use", ToolUse($"toolu_weather_{outputs + 1}", "get_weather", Scenario.WeatherArguments)),
            ScenarioStep.WeatherReport => Answer(thinking, "end_turn", AnthropicWire.Text(Scenario.WeatherReport)),
            ScenarioStep.ImageAnswer => Answer(thinking, "end_turn", AnthropicWire.Text(Scenario.ImageAnswer)),
            _ => AnthropicReply.Default,
        };
    }

    private static JsonObject ToolUse(string id, string name, string arguments) => AnthropicWire.ToolUse(id, name, JsonNode.Parse(arguments)!.AsObject());

    private static AnthropicReply.Content Answer(bool thinking, string stopReason, JsonObject block) =>
        new(thinking ? [AnthropicWire.Thinking("Working out the next step."), block] : [block], stopReason);
}
