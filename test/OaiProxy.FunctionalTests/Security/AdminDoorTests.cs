using System.Net;
using System.Net.Http.Headers;
using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Security;

/// <summary>Finding 17: wrong master keys are throttled per client address; no admin answer may be cached.</summary>
public sealed class AdminDoorTests
{
    private static async Task<HttpResponseMessage> AdminAsync(StorageProxy sut, string? masterKey)
    {
        using var http = new HttpClient { BaseAddress = sut.Proxy.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/keys");
        if (masterKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", masterKey);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task WrongMasterKeys_FromOneAddress_AreThrottledWithRetryAfter()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);

        var statuses = new List<HttpStatusCode>();
        TimeSpan? retryAfter = null;
        for (var i = 0; i < 20; i++)
        {
            using var response = await AdminAsync(sut, $"mk-guess-{i:D4}-0123456789abcdef");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) retryAfter ??= response.Headers.RetryAfter?.Delta;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(retryAfter > TimeSpan.Zero, "A throttled answer says when to retry.");
    }

    [Fact]
    public async Task AdminAnswers_AreNeverCached()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);

        using var created = await SendAsync(sut, HttpMethod.Post, "/admin/keys", """{"name":"cache"}""");
        using var listed = await AdminAsync(sut, StorageProxy.MasterKey);
        using var denied = await AdminAsync(sut, masterKey: null);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        foreach (var response in new[] { created, listed, denied })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} lacks Cache-Control: no-store.");
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(StorageProxy sut, HttpMethod method, string path, string body)
    {
        using var http = new HttpClient { BaseAddress = sut.Proxy.Address };
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StorageProxy.MasterKey);
        return await http.SendAsync(request);
    }
}
