using System.Text.Json.Nodes;

namespace OaiProxy.Auth;

/// <summary>A validated virtual key: the group it belongs to, and what the validator learned about the caller.</summary>
public sealed record AuthResult(string Group, JsonNode? UserInfo = null);
