namespace OaiProxy.Testing.Anthropic;

/// <summary>One named server-sent event: <c>event: Name</c>, <c>data: Data</c>.</summary>
public sealed record SseEvent(string Name, string Data);
