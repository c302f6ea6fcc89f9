using System.Text.Json.Nodes;

namespace OaiProxy.Testing.OpenAi;

/// <summary>A request the fake upstream received, as it arrived.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string? Model => Json["model"]?.GetValue<string>();

    public bool Stream => Json["stream"]?.GetValue<bool>() == true;
}
