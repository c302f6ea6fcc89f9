using System.Text.Json.Nodes;

namespace OaiProxy.Providers.Anthropic;

/// <summary>The translated conversation: the hoisted system blocks and the alternating user/assistant turns.</summary>
internal sealed record AnthropicConversation(JsonArray System, JsonArray Messages, IReadOnlyCollection<string> HistoryToolNames);
