using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using OaiProxy.Auth;
using OaiProxy.Configuration;

namespace OaiProxy.Benchmarks.Auth;

/// <summary>Virtual-key checks as done per request: header extraction, the digest lookup, and the key id for the log.</summary>
public class KeyLookupBenchmarks
{
    private ConfigApiKeyValidator _validator = null!;
    private HeaderDictionary _headers = null!;
    private string _valid = null!;
    private readonly ApiKeyId _keyIds = ApiKeyId.Keyed(new byte[32]);

    [Params(10, 10_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var keys = Enumerable.Range(0, Keys).Select(i => $"sk-virtual-{i:D8}-0123456789abcdef").ToList();
        _valid = keys[Keys / 2];
        _validator = new ConfigApiKeyValidator([new GroupConfig("default") { ApiKeys = keys }]);
        _headers = new HeaderDictionary { ["Authorization"] = "Bearer " + _valid };
    }

    [Benchmark(Baseline = true, Description = "ConfigApiKeyValidator: valid key")]
    public ValueTask<AuthResult?> Valid() => _validator.ValidateAsync(_valid, CancellationToken.None);

    [Benchmark(Description = "ConfigApiKeyValidator: unknown key")]
    public ValueTask<AuthResult?> Unknown() => _validator.ValidateAsync("sk-virtual-unknown-0123456789abcdef", CancellationToken.None);

    [Benchmark(Description = "ApiKeyExtractor.FromHeaders (Bearer)")]
    public string? Extract() => ApiKeyExtractor.FromHeaders(_headers);

    [Benchmark(Description = "ApiKeyId.Compute (log id, keyed)")]
    public string KeyId() => _keyIds.Compute(_valid);
}
