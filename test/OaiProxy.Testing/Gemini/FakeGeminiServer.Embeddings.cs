using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OaiProxy.Testing.Gemini;

/// <summary><c>batchEmbedContents</c>, as strict as the real endpoint: one vector per request, in order.</summary>
public sealed partial class FakeGeminiServer
{
    private static readonly HashSet<string> EmbedFields = ["model", "content", "taskType", "title", "outputDimensionality"];

    /// <summary>The deterministic vector the fake embeds request <paramref name="index"/> as.</summary>
    public static float[] Vector(int index, int dimensions = 3) =>
        [.. Enumerable.Range(0, dimensions).Select(i => (index + 1) * 0.5f - i * 0.25f)];

    private static async Task EmbedAsync(HttpContext context, string model, string body)
    {
        JsonArray? requests;
        try
        {
            requests = (JsonNode.Parse(body) as JsonObject)?["requests"] as JsonArray;
        }
        catch (JsonException)
        {
            requests = null;
        }
        if (requests is null || requests.Count == 0)
        {
            await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests: at least one request is required.");
            return;
        }
        var embeddings = new JsonArray();
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i] is not JsonObject request || request.Select(p => p.Key).FirstOrDefault(k => !EmbedFields.Contains(k)) is { } unknown)
            {
                await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", $"Invalid JSON payload received. Unknown name at 'requests[{i}]'.");
                return;
            }
            if (request["model"]?.GetValue<string>() != "models/" + model)
            {
                await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", $"* BatchEmbedContentsRequest.requests[{i}].model: model must be models/{model}.");
                return;
            }
            if (request["content"]?["parts"] is not JsonArray parts || parts.Count == 0 || parts.Any(p => string.IsNullOrEmpty(p?["text"]?.GetValue<string>())))
            {
                await WriteErrorAsync(context, 400, "INVALID_ARGUMENT", $"* BatchEmbedContentsRequest.requests[{i}].content.parts: contents must not be empty.");
                return;
            }
            var dimensions = request["outputDimensionality"]?.GetValue<int>() ?? 3;
            embeddings.Add(new JsonObject { ["values"] = new JsonArray([.. Vector(i, dimensions).Select(v => (JsonNode)v)]) });
        }
        await WriteJsonAsync(context, 200, new JsonObject { ["embeddings"] = embeddings }.ToJsonString());
    }
}
