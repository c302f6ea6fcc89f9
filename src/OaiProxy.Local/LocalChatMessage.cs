namespace OaiProxy.Local;

/// <summary>One chat message in plain text.</summary>
/// <param name="Role">"system", "user" or "assistant" ("developer" is read as "system").</param>
/// <param name="Content">The text; text parts are joined with "\n", as vLLM does.</param>
public sealed record LocalChatMessage(string Role, string Content);
