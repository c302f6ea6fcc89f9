using System.Security.Cryptography;
using System.Text;
using OaiProxy.Auth;

namespace OaiProxy.Tests.Logging;

public sealed class ApiKeyIdTests
{
    [Fact]
    public void Compute_IsLmProxysMd5OfKeyAndSalt_AndTheSameOnEveryCall()
    {
        Assert.Equal("80f7317d1ad836cb7fd500029ea0d818", ApiKeyId.Compute("sk-client-1", "Eclipse"));
        Assert.Equal("80f7317d1ad836cb7fd500029ea0d818", ApiKeyId.Compute("sk-client-1", "Eclipse"));
        Assert.Equal("184daa00788b0254a903a0cbdf8aab74", ApiKeyId.Compute("sk-client-1", "other"));
    }

    [Fact]
    public void Compute_ManyMoreKeysThanTheCacheHolds_AndLongKeys_StayExact()
    {
        var keys = Enumerable.Range(0, 3_000).Select(i => $"sk-many-{i}")
            .Append(new string('k', 10_000))
            .Concat(Enumerable.Range(0, 3_000).Select(i => $"sk-many-{i}"));

        foreach (var key in keys) Assert.Equal(Md5Hex(key + "salt"), ApiKeyId.Compute(key, "salt"));
    }

#pragma warning disable CA5351 // The reference the cached value must equal.
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
