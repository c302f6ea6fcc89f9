using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Responses;

/// <summary>
/// Raw Responses API calls (the tests read every event and field): every successful answer is checked against the
/// Responses schema and every stream against the event rules before a test sees it.
/// </summary>
public class ResponsesHttpClient(Uri baseUrl, string key) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? body = null,
        string? encoding = null, byte[]? raw = null)
    {
        using var request = new HttpRequestMessage(method, baseUrl + path);
        if (raw is not null || body is not null)
        {
            request.Content = new ByteArrayContent(raw ?? Encoding.UTF8.GetBytes(body!));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (encoding is not null) request.Content.Headers.ContentEncoding.Add(encoding);
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async Task<(HttpStatusCode Status, JsonObject Json)> CreateAsync(string body)
    {
        var (status, text, _) = await SendAsync(HttpMethod.Post, "/responses", body);
        if (status == HttpStatusCode.OK) ResponseResourceValidator.AssertValid(text);
        return (status, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>A streamed response: the raw text, and each event's data.</summary>
    public async Task<(string Raw, List<JsonObject> Events)> StreamAsync(string body)
    {
        var (status, text, _) = await SendAsync(HttpMethod.Post, "/responses", body);
        if (status != HttpStatusCode.OK) throw new InvalidDataException($"The stream was answered {(int)status}: {text}");
        ResponsesEventValidator.AssertValid(text);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(frame => frame.Split('\n').First(line => line.StartsWith("data: ", StringComparison.Ordinal))[6..])
            .Select(data => JsonNode.Parse(data)!.AsObject())
            .ToList();
        return (text, events);
    }

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }
}
