namespace OaiProxy.Local.Loading;

/// <summary>What the GGUF header says about a model, read without the native library.</summary>
internal sealed record GgufInfo(uint Version, string? Architecture, string? Name, long? ContextLength);
