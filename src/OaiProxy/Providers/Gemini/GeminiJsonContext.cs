using System.Text.Json.Serialization;

namespace OaiProxy.Providers.Gemini;

/// <summary>Source-generated metadata for the few plain values the Gemini translator serialises.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
