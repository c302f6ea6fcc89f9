using BenchmarkDotNet.Attributes;
using OaiProxy.Benchmarks.Fixtures;
using OaiProxy.Providers.Http;

namespace OaiProxy.Benchmarks.Providers;

/// <summary>Reading a non-streaming upstream answer whole (the body the proxy returns), as sent with a Content-Length.</summary>
public class UpstreamReadBenchmarks
{
    [Benchmark(Description = "UpstreamHttp.ReadBoundedAsync: 700 B completion")]
    public ValueTask<byte[]?> KnownLength()
    {
        var content = new StreamContent(new MemoryStream(ChatBodies.Completion, writable: false));
        content.Headers.ContentLength = ChatBodies.Completion.Length;
        return UpstreamHttp.ReadBoundedAsync(content, UpstreamHttp.MaxResponseBytes, CancellationToken.None);
    }
}
