using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Runtime;

namespace OaiProxy.Tests.Logging;

public sealed class ApiKeyIdTests
{
    [Fact]
    public void LmProxy_IsMd5OfKeyAndSalt_AndTheSameOnEveryCall()
    {
        var sut = ApiKeyId.LmProxy("Eclipse");
        Assert.Equal("80f7317d1ad836cb7fd500029ea0d818", sut.Compute("sk-client-1"));
        Assert.Equal("80f7317d1ad836cb7fd500029ea0d818", sut.Compute("sk-client-1"));
        Assert.Equal("184daa00788b0254a903a0cbdf8aab74", ApiKeyId.LmProxy("other").Compute("sk-client-1"));
    }

    [Fact]
    public void Compute_ManyMoreKeysThanTheCacheHolds_AndLongKeys_StayExact()
    {
        var keys = Enumerable.Range(0, 3_000).Select(i => $"sk-many-{i}")
            .Append(new string('k', 10_000))
            .Concat(Enumerable.Range(0, 3_000).Select(i => $"sk-many-{i}"));
        var lmProxy = ApiKeyId.LmProxy("salt");
        var hmacKey = RandomNumberGenerator.GetBytes(32);
        var keyed = ApiKeyId.Keyed(hmacKey);

        foreach (var key in keys)
        {
            Assert.Equal(Md5Hex(key + "salt"), lmProxy.Compute(key));
            Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(hmacKey, Encoding.UTF8.GetBytes(key))[..16]), keyed.Compute(key));
        }
    }

    [Fact]
    public void For_EncryptionKeySet_IsLmProxys_ElseKeyedUnderTheSecretOrTheMasterKey()
    {
        const string key = "sk-client-1";
        var lmProxy = ApiKeyId.For(new ProxyConfig { LmProxyApiKeyIds = true, EncryptionKey = "Eclipse" }, Unused);
        var byMaster = ApiKeyId.For(new ProxyConfig { MasterKey = "mk-0123456789abcdef" }, Unused).Compute(key);
        var bySecret = ApiKeyId.For(new ProxyConfig { MasterKey = "mk-0123456789abcdef", ApiKeyIdSecret = "kid-0123456789abcdef" }, Unused).Compute(key);
        var byFile = ApiKeyId.For(new ProxyConfig(), () => new byte[32]).Compute(key);

        Assert.True(lmProxy.IsLmProxy);
        Assert.Equal("80f7317d1ad836cb7fd500029ea0d818", lmProxy.Compute(key));
        Assert.Equal(byMaster, ApiKeyId.For(new ProxyConfig { MasterKey = "mk-0123456789abcdef" }, Unused).Compute(key));
        Assert.Equal(4, new[] { lmProxy.Compute(key), byMaster, bySecret, byFile }.Distinct().Count());
        Assert.All(new[] { byMaster, bySecret, byFile }, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }

    [Fact]
    public void SecretFile_IsCreatedOwnerOnly_AndReadBackByTheNextProcess()
    {
        var directory = Path.Combine(Path.GetTempPath(), "oaiproxy-keyid-" + Guid.NewGuid().ToString("N"));
        try
        {
            var created = ApiKeyIdSecretFile.Load(directory, NullLogger.Instance);
            var path = Path.Combine(directory, "storage", ApiKeyIdSecretFile.FileName);

            Assert.Equal(created, Convert.FromHexString(File.ReadAllText(path).Trim()));
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Same(created, ApiKeyIdSecretFile.Load(directory, NullLogger.Instance));

            var other = Path.Combine(directory, "next");
            Directory.CreateDirectory(Path.Combine(other, "storage"));
            File.Copy(path, Path.Combine(other, "storage", ApiKeyIdSecretFile.FileName));
            Assert.Equal(created, ApiKeyIdSecretFile.Load(other, NullLogger.Instance));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Unused() => throw new InvalidOperationException("No fallback key is needed here.");

#pragma warning disable CA5351 // The reference the cached value must equal.
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
