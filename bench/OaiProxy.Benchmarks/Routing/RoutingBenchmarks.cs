using BenchmarkDotNet.Attributes;
using OaiProxy.Configuration;
using OaiProxy.Routing;

namespace OaiProxy.Benchmarks.Routing;

/// <summary>First-match routing over 20 rules (literals, prefixes, a class, a catch-all), and single glob matches.</summary>
public class RoutingBenchmarks
{
    private static readonly string[] Patterns =
    [
        "gpt-4o", "gpt-4o-mini", "gpt-4.1*", "o1*", "o3*", "claude-3-5-sonnet*", "claude-3-7*", "claude-sonnet-4*",
        "claude-opus-4*", "gemini-1.5-*", "gemini-2.0-*", "gemini-2.5-pro*", "gemini-2.5-flash*", "llama-3.[12]-*",
        "mistral-*", "mixtral-*", "qwen*", "deepseek-*", "text-embedding-*", "*",
    ];

    private Router _router = null!;
    private GlobPattern _prefix = null!;
    private GlobPattern _class = null!;

    [GlobalSetup]
    public void Setup()
    {
        var connection = new ConnectionConfig { Name = "up", ApiType = "open_ai", ApiBase = "http://127.0.0.1:1/v1", Fingerprint = "up" };
        _router = new Router(new ProxyConfig
        {
            Connections = [connection],
            Routing = Patterns.Select(p => new RouteConfig(p, [new RouteTargetConfig("up", "*")])).ToList(),
        });
        _prefix = new GlobPattern("claude-sonnet-4*");
        _class = new GlobPattern("llama-3.[12]-*");
    }

    [Benchmark(Baseline = true, Description = "Router.Match: 1st rule (literal)")]
    public object? FirstRule() => _router.Match("gpt-4o"); // object: CompiledRoute is internal to the core

    [Benchmark(Description = "Router.Match: 18th rule (prefix glob)")]
    public object? EighteenthRule() => _router.Match("deepseek-chat"); // object: CompiledRoute is internal to the core

    [Benchmark(Description = "Router.Match: catch-all (20th)")]
    public object? CatchAll() => _router.Match("some-unlisted-model-name"); // object: CompiledRoute is internal to the core

    [Benchmark(Description = "GlobPattern: prefix*")]
    public bool PrefixGlob() => _prefix.IsMatch("claude-sonnet-4-20250514");

    [Benchmark(Description = "GlobPattern: [class] + *")]
    public bool ClassGlob() => _class.IsMatch("llama-3.2-90b-vision-instruct");
}
