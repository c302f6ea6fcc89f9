using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OaiProxy;

/// <summary>Source-generated JSON metadata, so no reflection-based serialisation runs on request paths.</summary>
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
internal sealed partial class ProxyJsonContext : JsonSerializerContext;
