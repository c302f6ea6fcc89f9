using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>Raw chat calls (the tests read rate-limit headers and error bodies) and upstream replies with fixed usage.</summary>
internal static class LimitCalls
{
    /// <summary>Prompt tokens of <see cref="Body"/> as the proxy's tokenizer counts them: 3 + 3 per message + "user" + "hi".</summary>
    public const int PromptTokens = 8;

    public static string Body(int maxTokens = 100, bool stream = false) =>
        $$"""{"model":"gpt-4o-mini","max_tokens":{{maxTokens}},"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""";

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri baseUrl, string key, string? body = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/chat/completions")
        {
            Content = new StringContent(body ?? Body(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static async Task<(HttpStatusCode Status, HttpResponseMessage Response, string Body)> CallAsync(HttpClient http, Uri baseUrl, string key, string? body = null)
    {
        var response = await PostAsync(http, baseUrl, key, body);
        return (response.StatusCode, response, await response.Content.ReadAsStringAsync());
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : null;

    public static string ErrorMessage(string body) => JsonNode.Parse(body)?["error"]?["message"]?.GetValue<string>() ?? body;

    public static string? ErrorCode(string body) => JsonNode.Parse(body)?["error"]?["code"]?.GetValue<string>();

    /// <summary>A completion whose usage is exactly <paramref name="prompt"/> + <paramref name="completion"/> tokens.</summary>
    public static FakeReply Completion(int prompt, int completion) => new FakeReply.Raw(200,
        OpenAiWire.Completion("chatcmpl-limits", "gpt-4o-mini", "ok", promptTokens: prompt, completionTokens: completion).ToJsonString());
}
