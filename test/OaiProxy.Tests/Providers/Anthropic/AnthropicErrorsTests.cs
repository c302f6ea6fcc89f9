using System.Text;
using OaiProxy.Errors;
using OaiProxy.Providers.Anthropic;
using OaiProxy.Testing.Anthropic;

namespace OaiProxy.Tests.Providers.Anthropic;

public sealed class AnthropicErrorsTests
{
    private const string Key = "sk-ant-secret-key-123";
    private static readonly SecretScrubber Secrets = new([Key]);

    private static ProxyError Map(int status, string type, string message, TimeSpan? retryAfter = null) =>
        AnthropicErrors.FromResponse(status, Encoding.UTF8.GetBytes(AnthropicWire.ErrorBody(type, message).ToJsonString()), retryAfter, "claude", Secrets);

    [Fact]
    public void FromResponse_InvalidRequest_400WithUpstreamMessage()
    {
        var sut = Map(400, "invalid_request_error", "messages: text content blocks must be non-empty");

        Assert.Equal(400, sut.Status);
        Assert.Equal(ErrorTypes.InvalidRequest, sut.Type);
        Assert.Equal("messages: text content blocks must be non-empty", sut.Message);
        Assert.False(sut.IsRetryable);
    }

    [Fact]
    public void FromResponse_PromptTooLong_CodeContextLengthExceeded()
    {
        Assert.Equal("context_length_exceeded", Map(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum").Code);
    }

    [Theory]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    public void FromResponse_RejectedKey_502WithoutLeakingTheKey(int status, string type)
    {
        var sut = Map(status, type, $"invalid x-api-key {Key}");

        Assert.Equal(502, sut.Status);
        Assert.Equal(ErrorCodes.UpstreamAuth, sut.Code);
        Assert.DoesNotContain(Key, sut.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromResponse_RateLimit_429WithRetryAfter()
    {
        var sut = Map(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", TimeSpan.FromSeconds(7));

        Assert.Equal(429, sut.Status);
        Assert.Equal(ErrorTypes.RateLimit, sut.Type);
        Assert.Equal(TimeSpan.FromSeconds(7), sut.RetryAfter);
        Assert.True(sut.IsRetryable);
    }

    [Fact]
    public void FromResponse_Overloaded529_Retryable503()
    {
        var sut = Map(529, "overloaded_error", "Overloaded");

        Assert.Equal(503, sut.Status);
        Assert.Equal(AnthropicErrors.Overloaded, sut.Code);
        Assert.True(sut.IsRetryable);
    }

    [Theory]
    [InlineData(500, "api_error", 502)]
    [InlineData(404, "not_found_error", 404)]
    [InlineData(413, "request_too_large", 413)]
    [InlineData(504, "timeout_error", 504)]
    [InlineData(402, "billing_error", 402)]
    public void FromResponse_OtherTypes_MapToSensibleStatus(int status, string type, int expected)
    {
        Assert.Equal(expected, Map(status, type, "x").Status);
    }

    [Fact]
    public void FromResponse_HtmlBody_KeepsStatusMeaning()
    {
        var sut = AnthropicErrors.FromResponse(502, "<html>Bad gateway</html>"u8.ToArray(), null, "claude", Secrets);

        Assert.Equal(502, sut.Status);
        Assert.True(sut.IsRetryable);
    }
}
