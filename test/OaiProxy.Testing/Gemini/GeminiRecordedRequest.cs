using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Gemini;

/// <summary>A request the fake Gemini server received, as it arrived.</summary>
public sealed record GeminiRecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body,
    string Model, bool Stream)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public JsonArray Contents => Json["contents"]!.AsArray();

    public JsonObject? GenerationConfig => Json["generationConfig"] as JsonObject;

    public int CandidateCount => GenerationConfig?["candidateCount"]?.GetValue<int>() ?? 1;
}
