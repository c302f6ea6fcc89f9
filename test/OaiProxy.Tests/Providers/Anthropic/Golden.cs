using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Errors;
using OaiProxy.Providers.Anthropic;
using OaiProxy.Testing.Anthropic;

namespace OaiProxy.Tests.Providers.Anthropic;

/// <summary>Helpers for golden translation tests: translate, compare JSON structurally, show both on failure.</summary>
internal static class Golden
{
    public static JsonObject Translate(string openAi, string model = "claude-sonnet-4-5", AnthropicSettings? settings = null, bool stream = false)
    {
        var (body, error) = TryTranslate(openAi, model, settings, stream);
        Assert.True(error is null, $"Translation failed: {error?.Message}");
        // Every translation must also pass the strict fake's checks of the real API.
        var problem = AnthropicRequestValidator.Validate(body!.ToJsonString());
        Assert.True(problem is null, $"The fake Anthropic API rejects the translation: {problem}\n{body.ToJsonString()}");
        return body;
    }

    public static (JsonObject? Body, ProxyError? Error) TryTranslate(string openAi, string model = "claude-sonnet-4-5", AnthropicSettings? settings = null, bool stream = false)
    {
        using var document = JsonDocument.Parse(openAi);
        return AnthropicRequestTranslator.ToAnthropicRequest(document.RootElement, model, settings ?? new AnthropicSettings(), stream);
    }

    public static ProxyError Rejected(string openAi, AnthropicSettings? settings = null)
    {
        var (body, error) = TryTranslate(openAi, settings: settings);
        Assert.True(body is null, "Expected a 400, got a translation.");
        Assert.Equal(400, error!.Status);
        return error;
    }

    public static void Equal(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(expectedNode, actual),
            $"Expected:\n{expectedNode!.ToJsonString()}\nActual:\n{actual?.ToJsonString()}");
    }

    public static void Equal(string expected, string actual) => Equal(expected, JsonNode.Parse(actual));
}
