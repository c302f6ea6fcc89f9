using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OaiProxy.FunctionalTests.Responses;

public sealed class ResponsesSmokeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string Config(Testing.OpenAi.FakeOpenAiServer u) => ProxyFixture.DefaultConfig(u, connectionExtra: "max_retries = 0\nresponses_api = false");

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(ProxyFixture f, string body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, f.Proxy.BaseUrl + "/responses") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProxyFixture.ClientKey);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Translated_JsonAndStream()
    {
        await using var f = await ProxyFixture.StartAsync(Config);
        var (status, body) = await PostAsync(f, """{"model":"gpt-4o","input":"Hello there","instructions":"Be brief."}""");
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.OK, status);
        var (status2, body2) = await PostAsync(f, """{"model":"gpt-4o","input":"Hello there","stream":true}""");
        output.WriteLine(body2);
        Assert.Equal(HttpStatusCode.OK, status2);
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        var (status3, body3) = await PostAsync(f, $$"""{"model":"gpt-4o","input":"And again","previous_response_id":"{{id}}"}""");
        output.WriteLine(body3);
        Assert.Equal(HttpStatusCode.OK, status3);
        output.WriteLine(f.Upstream.Requests.Last().Body);
    }
}
