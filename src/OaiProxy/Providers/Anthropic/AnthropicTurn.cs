using System.Text.Json.Nodes;

namespace OaiProxy.Providers.Anthropic;

/// <summary>One Anthropic message being built: a role and its blocks, plus the client message it started at.</summary>
internal sealed class AnthropicTurn(string role, int firstMessage)
{
    public string Role { get; } = role;

    public int FirstMessage { get; } = firstMessage;

    public List<JsonNode> Blocks { get; } = [];

    public static string TypeOf(JsonNode block) => block["type"]?.GetValue<string>() ?? "";

    public JsonObject ToJson() => new() { ["role"] = Role, ["content"] = new JsonArray([.. Blocks]) };
}
