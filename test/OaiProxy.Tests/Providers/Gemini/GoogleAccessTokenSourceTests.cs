using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OaiProxy.Errors;
using OaiProxy.Providers.Gemini;
using OaiProxy.Testing.Gemini;

namespace OaiProxy.Tests.Providers.Gemini;

public sealed class GoogleAccessTokenSourceTests : IDisposable
{
    private const string TokenUrl = "https://oauth2.test/token";
    private readonly TestServiceAccount _account = new(TokenUrl);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TokenEndpoint _endpoint = new();
    private readonly GoogleAccessTokenSource _sut;

    public GoogleAccessTokenSourceTests()
    {
        var (account, _) = GoogleServiceAccount.Parse(_account.Json);
        _sut = new GoogleAccessTokenSource(account!, new Uri(TokenUrl), new HttpMessageInvoker(_endpoint), _time, "v", NullLogger.Instance);
    }

    [Fact]
    public async Task Get_ConcurrentFirstCallers_ShareOneExchangeWithAValidSignedAssertion()
    {
        _endpoint.Gate = new TaskCompletionSource();
        var callers = Enumerable.Range(0, 10).Select(_ => _sut.GetAsync(CancellationToken.None).AsTask()).ToList();
        _endpoint.Gate.SetResult();

        var results = await Task.WhenAll(callers);

        Assert.All(results, r => Assert.Equal("token-1", r.Token));
        Assert.Equal(1, _endpoint.Calls);
        var form = _endpoint.LastForm!;
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
        var pieces = form["assertion"].Split('.');
        Assert.True(_account.Key.VerifyData(Encoding.ASCII.GetBytes(pieces[0] + "." + pieces[1]), Base64Url.DecodeFromChars(pieces[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(pieces[0]))!;
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(pieces[1]))!;
        Assert.Equal("""{"alg":"RS256","typ":"JWT","kid":"test-key-1"}""", header.ToJsonString());
        Assert.Equal(_account.ClientEmail, claims["iss"]!.GetValue<string>());
        Assert.Equal(TokenUrl, claims["aud"]!.GetValue<string>());
        Assert.Equal(GoogleJwt.CloudPlatformScope, claims["scope"]!.GetValue<string>());
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), claims["iat"]!.GetValue<long>());
        Assert.Equal(3600, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
    }

    [Fact]
    public async Task Get_BeforeTheRefreshWindow_ReusesTheToken()
    {
        await _sut.GetAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(54));

        var (token, _) = await _sut.GetAsync(CancellationToken.None);

        Assert.Equal("token-1", token);
        Assert.Equal(1, _endpoint.Calls);
    }

    [Fact]
    public async Task Get_InTheRefreshWindow_AnswersAtOnceAndRefreshesInTheBackground()
    {
        await _sut.GetAsync(CancellationToken.None);
        _endpoint.Gate = new TaskCompletionSource();
        _time.Advance(TimeSpan.FromMinutes(56));

        var during = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _sut.GetAsync(CancellationToken.None).AsTask()));
        _endpoint.Gate.SetResult();
        await _sut.PendingRefresh;
        var (after, _) = await _sut.GetAsync(CancellationToken.None);

        Assert.All(during, r => Assert.Equal("token-1", r.Token));
        Assert.Equal("token-2", after);
        Assert.Equal(2, _endpoint.Calls);
        Assert.Equal(2, _sut.Exchanges);
    }

    [Fact]
    public async Task Get_AfterExpiry_WaitsForANewToken()
    {
        await _sut.GetAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(61));

        var (token, _) = await _sut.GetAsync(CancellationToken.None);

        Assert.Equal("token-2", token);
    }

    [Fact]
    public async Task Get_ShortLivedTokens_RefreshAtHalfTheirLifetime()
    {
        _endpoint.Lifetime = 60;
        await _sut.GetAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(29));
        await _sut.GetAsync(CancellationToken.None);
        Assert.Equal(1, _endpoint.Calls);

        _time.Advance(TimeSpan.FromSeconds(2));
        var (token, _) = await _sut.GetAsync(CancellationToken.None);
        await _sut.PendingRefresh;

        Assert.Equal("token-1", token);
        Assert.Equal(2, _endpoint.Calls);
    }

    [Fact]
    public async Task Get_RefusedAssertion_IsAnUpstreamAuthErrorAndBackgroundRetriesBackOff()
    {
        await _sut.GetAsync(CancellationToken.None);
        _endpoint.Refuse = true;
        _time.Advance(TimeSpan.FromMinutes(56));
        await _sut.GetAsync(CancellationToken.None);
        await _sut.PendingRefresh;

        var (token, _) = await _sut.GetAsync(CancellationToken.None);
        Assert.Equal("token-1", token);
        Assert.Equal(2, _endpoint.Calls);

        _time.Advance(TimeSpan.FromMinutes(5));
        var (none, error) = await _sut.GetAsync(CancellationToken.None);
        Assert.Null(none);
        Assert.Equal(ErrorCodes.UpstreamAuth, error!.Code);
        Assert.Contains("invalid_grant", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _sut.Dispose();
        _account.Dispose();
    }

    private sealed class TokenEndpoint : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        public TaskCompletionSource? Gate { get; set; }

        public bool Refuse { get; set; }

        public int Lifetime { get; set; } = 3600;

        public Dictionary<string, string>? LastForm { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var number = Interlocked.Increment(ref _calls);
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            LastForm = body.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
            if (Refuse) return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("""{"error":"invalid_grant","error_description":"Invalid JWT Signature."}""") };
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"access_token":"token-{{number}}","expires_in":{{Lifetime}},"token_type":"Bearer"}"""),
            };
        }
    }
}
