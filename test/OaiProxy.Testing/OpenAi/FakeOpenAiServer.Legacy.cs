using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OaiProxy.Testing.OpenAi;

/// <summary>Embeddings and legacy completions, as strict as the real endpoints.</summary>
public sealed partial class FakeOpenAiServer
{
    /// <summary>The deterministic vector the fake embeds input <paramref name="index"/> as.</summary>
    public static float[] Vector(int index, int dimensions = 4) =>
        [.. Enumerable.Range(0, dimensions).Select(i => (index + 1) * 0.25f + i * 0.125f)];

    /// <summary>When set, replies to legacy completions (non-stream JSON or stream payloads).</summary>
    public Func<RecordedRequest, FakeReply>? CompletionsHandler { get; set; }

    private async Task<RecordedRequest?> RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body);
        Requests.Enqueue(recorded);
        if (!await CheckKeyAsync(context)) return null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject json && json["model"] is JsonValue m && m.GetValueKind() == JsonValueKind.String) return recorded;
        }
        catch (JsonException)
        {
            // Answered below like the real API.
        }
        await WriteErrorAsync(context, 400, "you must provide a model parameter", "invalid_request_error", null);
        return null;
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        if (await RecordAsync(context) is not { } request) return;
        var json = request.Json;
        var known = new HashSet<string> { "model", "input", "encoding_format", "dimensions", "user" };
        if (json.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            await WriteErrorAsync(context, 400, $"Unrecognized request argument supplied: {unknown}", "invalid_request_error", null);
            return;
        }
        var inputs = json["input"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0 => 1,
            JsonArray a when a.Count > 0 => a.Count,
            _ => 0,
        };
        if (inputs == 0)
        {
            await WriteErrorAsync(context, 400, "'$.input' is invalid. Please check the API reference.", "invalid_request_error", null);
            return;
        }
        var format = json["encoding_format"]?.GetValue<string>() ?? "float";
        if (format is not ("float" or "base64"))
        {
            await WriteErrorAsync(context, 400, $"Invalid value for 'encoding_format': {format}.", "invalid_request_error", "invalid_value");
            return;
        }
        var dimensions = json["dimensions"]?.GetValue<int>() ?? 4;
        var data = new JsonArray();
        for (var i = 0; i < inputs; i++)
        {
            var vector = Vector(i, dimensions);
            JsonNode embedding = format == "base64" ? Base64(vector) : new JsonArray([.. vector.Select(f => (JsonNode)f)]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = request.Model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = 3 * inputs, ["total_tokens"] = 3 * inputs },
        }.ToJsonString());
    }

    private static string Base64(float[] vector)
    {
        var bytes = new byte[vector.Length * 4];
        for (var i = 0; i < vector.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), vector[i]);
        return Convert.ToBase64String(bytes);
    }

    private async Task CompletionsAsync(HttpContext context)
    {
        if (await RecordAsync(context) is not { } request) return;
        var json = request.Json;
        if (json["prompt"] is null)
        {
            await WriteErrorAsync(context, 400, "Missing required parameter: 'prompt'.", "invalid_request_error", "missing_required_parameter");
            return;
        }
        if (json["messages"] is not null)
        {
            await WriteErrorAsync(context, 400, "Unrecognized request argument supplied: messages", "invalid_request_error", null);
            return;
        }
        if (json["stream_options"] is not null && !request.Stream)
        {
            await WriteErrorAsync(context, 400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "invalid_request_error", null);
            return;
        }
        if (CompletionsHandler?.Invoke(request) is { } scripted)
        {
            await ReplyAsync(context, request, scripted);
            return;
        }
        var model = request.Model!;
        var words = new[] { "Once", " upon", " a", " time" };
        if (!request.Stream)
        {
            await WriteJsonAsync(context, 200, TextCompletion("cmpl-fake1", model, string.Concat(words), "length", withUsage: true).ToJsonString());
            return;
        }
        var includeUsage = json["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        var payloads = words.Select((w, i) => TextCompletion("cmpl-fake1", model, w, i == words.Length - 1 ? "length" : null, false).ToJsonString()).ToList();
        if (includeUsage)
        {
            payloads.Add(new JsonObject
            {
                ["id"] = "cmpl-fake1", ["object"] = "text_completion", ["created"] = OpenAiWire.Created, ["model"] = model,
                ["choices"] = new JsonArray(), ["usage"] = Usage(),
            }.ToJsonString());
        }
        await StreamAsync(context, new FakeReply.Stream(payloads));
    }

    private static JsonObject Usage() => new() { ["prompt_tokens"] = 2, ["completion_tokens"] = 4, ["total_tokens"] = 6 };

    /// <summary>A <c>text_completion</c> object, as the API sends it whole or as a stream chunk.</summary>
    public static JsonObject TextCompletion(string id, string model, string text, string? finishReason, bool withUsage)
    {
        var result = new JsonObject
        {
            ["id"] = id,
            ["object"] = "text_completion",
            ["created"] = OpenAiWire.Created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["text"] = text, ["index"] = 0, ["logprobs"] = null, ["finish_reason"] = finishReason }),
        };
        if (withUsage) result["usage"] = Usage();
        return result;
    }
}
