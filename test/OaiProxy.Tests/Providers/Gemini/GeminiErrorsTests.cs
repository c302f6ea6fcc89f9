using System.Text;
using OaiProxy.Errors;
using OaiProxy.Providers.Gemini;

namespace OaiProxy.Tests.Providers.Gemini;

public sealed class GeminiErrorsTests
{
    private const string Key = "AIzaSy-secret-key-123456";
    private static readonly SecretScrubber Secrets = new([Key]);

    private static ProxyError Map(int status, string body, TimeSpan? header = null) =>
        GeminiErrors.Map(status, GeminiErrors.Parse(Encoding.UTF8.GetBytes(body), Secrets), header, "g", Secrets);

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", 400, ErrorTypes.InvalidRequest, null, false)]
    [InlineData(400, "FAILED_PRECONDITION", 400, ErrorTypes.InvalidRequest, "failed_precondition", false)]
    [InlineData(403, "PERMISSION_DENIED", 502, ErrorTypes.Upstream, ErrorCodes.UpstreamAuth, true)]
    [InlineData(401, "UNAUTHENTICATED", 502, ErrorTypes.Upstream, ErrorCodes.UpstreamAuth, true)]
    [InlineData(404, "NOT_FOUND", 404, ErrorTypes.InvalidRequest, ErrorCodes.ModelNotFound, false)]
    [InlineData(429, "RESOURCE_EXHAUSTED", 429, ErrorTypes.RateLimit, ErrorCodes.RateLimitExceeded, true)]
    [InlineData(500, "INTERNAL", 502, ErrorTypes.Upstream, ErrorCodes.UpstreamError, true)]
    [InlineData(503, "UNAVAILABLE", 503, ErrorTypes.Server, "upstream_unavailable", true)]
    [InlineData(504, "DEADLINE_EXCEEDED", 504, ErrorTypes.Timeout, ErrorCodes.UpstreamTimeout, true)]
    public void Map_GoogleStatus_GivesOpenAiStatusTypeAndCode(int http, string status, int expected, string type, string? code, bool retryable)
    {
        var error = Map(http, $$$"""{"error":{"code":{{{http}}},"message":"Boom with {{{Key}}}.","status":"{{{status}}}"}}""");

        Assert.Equal(expected, error.Status);
        Assert.Equal(type, error.Type);
        Assert.Equal(code, error.Code);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_InvalidApiKey_IsTheUpstreamAuth502() =>
        Assert.Equal(ErrorCodes.UpstreamAuth, Map(400, """{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}""").Code);

    [Fact]
    public void Map_RetryInfo_BecomesRetryAfterAndWinsOverTheHeader() => Assert.Equal(TimeSpan.FromSeconds(37.5),
        Map(429, """{"error":{"code":429,"message":"Quota.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure"},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37.5s"}]}}""", TimeSpan.FromSeconds(5)).RetryAfter);

    [Fact]
    public void Map_ArrayWrappedBody_IsRead() =>
        Assert.Equal("Bad.", Map(400, """[{"error":{"code":400,"message":"Bad.","status":"INVALID_ARGUMENT"}}]""").Message);

    [Theory]
    [InlineData(502, "<html>Bad Gateway</html>", 502)]
    [InlineData(503, "overloaded", 503)]
    [InlineData(413, "<html>Too large</html>", 413)]
    public void Map_NonJsonBody_FallsBackToTheHttpStatus(int http, string body, int expected) =>
        Assert.Equal(expected, Map(http, body).Status);

    [Theory]
    [InlineData("37s", 37.0)]
    [InlineData("0.25s", 0.25)]
    [InlineData("soon", null)]
    public void ParseDuration_ReadsProtobufDurations(string text, double? seconds) =>
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), GeminiErrors.ParseDuration(text));
}
