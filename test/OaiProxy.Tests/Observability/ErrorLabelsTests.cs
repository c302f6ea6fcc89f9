using System.Reflection;
using OaiProxy.Errors;
using OaiProxy.Observability;

namespace OaiProxy.Tests.Observability;

public sealed class ErrorLabelsTests
{
    // A name may be both a code and a type ("upstream_error"): each value once.
    public static TheoryData<string> OwnValues() =>
    [
        .. typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Concat(typeof(ErrorTypes).GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (string)f.GetRawConstantValue()!).Distinct(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(OwnValues))]
    public void Of_EveryCodeAndTypeOfTheProxy_IsItsOwnLabel(string value)
    {
        Assert.Equal(value, ErrorLabels.Of(new ProxyError(400, value, value, "m")));
    }

    [Fact]
    public void Of_FreeTextFromAnUpstream_IsOther_OrTheKnownType()
    {
        Assert.Equal(ErrorLabels.Other, ErrorLabels.Of(new ProxyError(400, "t: Bearer sk-x", "c: Bearer sk-x", "m")));
        Assert.Equal(ErrorTypes.RateLimit, ErrorLabels.Of(new ProxyError(429, ErrorTypes.RateLimit, "code-1234", "m")));
        Assert.Equal("context_length_exceeded", ErrorLabels.Of(new ProxyError(400, ErrorTypes.InvalidRequest, "context_length_exceeded", "m")));
    }
}
