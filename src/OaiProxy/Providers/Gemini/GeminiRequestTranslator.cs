using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Providers.Gemini;

/// <summary>An OpenAI chat request to Gemini's <c>GenerateContentRequest</c> (camelCase, unknown OpenAI fields dropped).</summary>
internal static class GeminiRequestTranslator
{
    /// <summary>Builds the body; a request Gemini cannot express throws <see cref="GeminiTranslationException"/>.</summary>
    public static async ValueTask<JsonObject> TranslateAsync(JsonElement root, string model,
        GeminiContentsBuilder.ImageLoader loadImage, CancellationToken cancellationToken)
    {
        var fields = new OpenAiRequestFields(root);

        // 1. Messages: system instruction and alternating contents.
        if (!fields.TryGet("messages", out var messages))
        {
            throw new GeminiTranslationException(Errors.ProxyError.BadRequest("Missing required parameter: 'messages'.", "messages", Errors.ErrorCodes.MissingField));
        }
        var (system, contents) = await new GeminiContentsBuilder(loadImage).BuildAsync(messages, cancellationToken);

        // 2. Tools, tool choice and sampling.
        var body = new JsonObject();
        if (system is not null) body["systemInstruction"] = system;
        body["contents"] = contents;
        if (GeminiToolsTranslator.BuildTools(fields) is { } tools)
        {
            body["tools"] = tools;
            // Without declarations a tool choice means nothing, and Gemini would reject the lone toolConfig.
            if (GeminiToolsTranslator.BuildToolConfig(fields) is { } toolConfig) body["toolConfig"] = toolConfig;
        }
        if (GeminiGenerationConfig.Build(fields, model) is { } generationConfig) body["generationConfig"] = generationConfig;
        return body;
    }
}
