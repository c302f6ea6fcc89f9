using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using OaiProxy.Benchmarks.Fixtures;
using OaiProxy.Requests;

namespace OaiProxy.Benchmarks.Requests;

/// <summary>The pass-through request path: one validating scan, then the model spliced into the body (no re-serialisation).</summary>
public class RequestRewriteBenchmarks
{
    private byte[] _body = null!;
    private RequestBody _parsed = null!;
    private readonly JsonObject _defaults = new() { ["temperature"] = 0.5, ["user"] = "bench" };

    [Params("small (250 B)", "large (20 KB)")]
    public string Body { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _body = Body.StartsWith("small", StringComparison.Ordinal) ? ChatBodies.Small() : ChatBodies.Large();
        if (!ChatRequestParser.TryParse(_body, out var request, out var error)) throw new InvalidOperationException(error!.Message);
        _parsed = request!;
    }

    [GlobalCleanup]
    public void Cleanup() => _parsed.Dispose();

    [Benchmark(Baseline = true, Description = "ChatRequestParser.TryParse")]
    public bool Parse()
    {
        var ok = ChatRequestParser.TryParse(_body, out var request, out _);
        request?.Dispose();
        return ok;
    }

    [Benchmark(Description = "Rewrite: same model")]
    public byte[] SameModel() => BodyRewriter.Rewrite(_parsed, "gpt-4o-mini", null);

    [Benchmark(Description = "Rewrite: model spliced")]
    public byte[] OtherModel() => BodyRewriter.Rewrite(_parsed, "gpt-4o-mini-2024-07-18", null);

    [Benchmark(Description = "Rewrite: model + default_args")]
    public byte[] WithDefaults() => BodyRewriter.Rewrite(_parsed, "gpt-4o-mini-2024-07-18", _defaults);
}
