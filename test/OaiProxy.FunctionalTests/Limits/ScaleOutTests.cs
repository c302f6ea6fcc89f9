using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Testing.OpenAi;
using OaiProxy.Testing.Redis;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>
/// Three real <c>oai-proxy</c> processes sharing one PostgreSQL (keys) and one Redis (limits, key invalidation):
/// a stored key's rpm and budget hold across all three, and a revocation on one applies on the others within a second.
/// </summary>
[Trait("Category", ServerProcess.Category)]
[Collection("postgres")]
public sealed class ScaleOutTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [ScaleOutFact]
    public async Task ThreeInstances_KeyRpmAndBudgetHoldAcrossAll_RevocationReachesAllWithinASecond()
    {
        var database = await postgres.Server!.CreateDatabaseAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        upstream.Handler = _ => LimitCalls.Completion(LimitCalls.PromptTokens, 100);
        var directory = Directory.CreateTempSubdirectory("oaiproxy-scale").FullName;
        var ports = new[] { FreePort(), FreePort(), FreePort() };
        var processes = new List<Process>();
        try
        {
            foreach (var port in ports)
            {
                var config = Path.Combine(directory, $"config-{port}.toml");
                await File.WriteAllTextAsync(config, $"host = \"127.0.0.1\"\nport = {port}\nredis_url = \"{redis.Url}\"\n" + StorageProxy.Config(upstream, database));
                processes.Add(ServerProcess.Start($"--config \"{config}\""));
            }
            using (var listening = new CancellationTokenSource(Bound))
            {
                await Task.WhenAll(processes.Select(p => ServerProcess.WaitUntilListeningAsync(p, listening.Token)));
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var urls = ports.Select(p => new Uri($"http://127.0.0.1:{p}/v1")).ToArray();

            // 1. rpm 100 over three instances, 300 concurrent requests: exactly 100 pass.
            var (rpmId, rpmKey) = await CreateKeyAsync(http, ports[0], """{"name":"rpm","group":"default","rpm":100}""");
            await WaitKnownEverywhereAsync(http, urls, rpmKey, known: true, TimeSpan.FromSeconds(5));
            var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => LimitCalls.CallAsync(http, urls[i % 3], rpmKey)));
            Assert.Equal(100, results.Count(r => r.Status == HttpStatusCode.OK));
            Assert.Equal(200, results.Count(r => r.Status == HttpStatusCode.TooManyRequests));

            // 2. A total budget of $0.001; a request costs 8 prompt tokens at $1/M + 100 completion tokens at $2/M =
            //    $0.000208, reserved and real alike, so 4 of 40 concurrent requests pass ($0.000832) and never a fifth.
            var (_, budgetKey) = await CreateKeyAsync(http, ports[1], """{"name":"budget","group":"default","budget":{"amount":0.001,"period":"total"}}""");
            await WaitKnownEverywhereAsync(http, urls, budgetKey, known: true, TimeSpan.FromSeconds(5));
            var spent = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => LimitCalls.CallAsync(http, urls[i % 3], budgetKey)));
            Assert.Equal(4, spent.Count(r => r.Status == HttpStatusCode.OK));
            Assert.All(spent.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal("insufficient_quota", LimitCalls.ErrorCode(r.Body)));

            // 3. Revoked on the first instance: the other two refuse the key within a second.
            using var revoke = Admin(HttpMethod.Delete, ports[0], "/admin/keys/" + rpmId);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(revoke)).StatusCode);
            await WaitKnownEverywhereAsync(http, urls[1..], rpmKey, known: false, TimeSpan.FromSeconds(1));
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited) process.Kill();
                await process.WaitForExitAsync().WaitAsync(Bound);
                process.Dispose();
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(string Id, string Key)> CreateKeyAsync(HttpClient http, int port, string body)
    {
        using var request = Admin(HttpMethod.Post, port, "/admin/keys");
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (json["id"]!.GetValue<string>(), json["key"]!.GetValue<string>());
    }

    private static HttpRequestMessage Admin(HttpMethod method, int port, string path)
    {
        var request = new HttpRequestMessage(method, $"http://127.0.0.1:{port}{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StorageProxy.MasterKey);
        return request;
    }

    /// <summary>
    /// Probes with an unknown model, which is answered after authentication and before any limit is counted:
    /// 404 for a known key, 401 for an unknown or revoked one.
    /// </summary>
    private static async Task WaitKnownEverywhereAsync(HttpClient http, Uri[] urls, string key, bool known, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        var expected = known ? HttpStatusCode.NotFound : HttpStatusCode.Unauthorized;
        foreach (var url in urls)
        {
            while (true)
            {
                var (status, _, _) = await LimitCalls.CallAsync(http, url, key, """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""");
                if (status == expected) break;
                Assert.True(watch.Elapsed < within, $"{url} still answers {status} after {watch.Elapsed.TotalMilliseconds} ms.");
                await Task.Delay(20);
            }
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>A test that needs both PostgreSQL and Redis: skipped, saying why, only when one cannot be installed here.</summary>
public sealed class ScaleOutFactAttribute : FactAttribute
{
    public ScaleOutFactAttribute()
    {
        if ((Testing.Postgres.PostgresServer.UnavailableReason ?? RedisServer.UnavailableReason) is { } reason) Skip = reason;
    }
}
