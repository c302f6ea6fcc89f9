using OaiProxy.Local;
using OaiProxy.LocalBench;
using OaiProxy.Testing;
using OaiProxy.Testing.Gguf;

// Tokens/s and time to first token of the generated tiny model, direct and through the proxy.
// Run: dotnet run -c Release --project bench/OaiProxy.LocalBench -- [--tokens 512] [--runs 5] [--threads 1] [--context 4096]
var options = BenchOptions.Parse(args);
var directory = Directory.CreateTempSubdirectory("oaiproxy-localbench-");
try
{
    // The lowercase model never ends by itself, so every run produces exactly --tokens tokens.
    var path = TinyGguf.Write(Path.Combine(directory.FullName, "tiny.gguf"),
        new TinyGgufOptions { Reply = TinyReply.Lowercase, ContextLength = options.Context });
    Console.WriteLine($"Tiny bigram model ({new FileInfo(path).Length / 1024} KiB), {options.Tokens} tokens per run, " +
        $"{options.Runs} runs after a warm-up, threads {options.Threads}, context {options.Context}, {Environment.ProcessorCount} cores.");
    Console.WriteLine(BenchResult.Header);

    await using (var model = LocalModel.Load(new LocalModelOptions
    {
        ModelPath = path, Threads = options.Threads, ContextSize = options.Context,
    }))
    {
        await DirectBench.RunAsync(model, options.Tokens);
        var runs = new List<BenchResult>();
        for (var i = 0; i < options.Runs; i++)
        {
            runs.Add(await DirectBench.RunAsync(model, options.Tokens));
        }

        Console.WriteLine(BenchResult.Summary("direct", runs));
    }

    var config = $"""
        [connections.local]
        api_type = "local"
        model_path = '{path}'
        threads = {options.Threads}
        context_size = {options.Context}

        [routing]
        "*" = "local.*"

        [groups.default]
        api_keys = ["sk-bench"]
        """;
    await using var server = await ProxyTestServer.StartAsync(config, configureServices: s => s.AddOaiProxyLocalModels());
    using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
    http.DefaultRequestHeaders.Authorization = new("Bearer", "sk-bench");
    await ProxyBench.RunAsync(http, options.Tokens);
    var proxied = new List<BenchResult>();
    for (var i = 0; i < options.Runs; i++)
    {
        proxied.Add(await ProxyBench.RunAsync(http, options.Tokens));
    }

    Console.WriteLine(BenchResult.Summary("proxy (SSE)", proxied));
}
finally
{
    directory.Delete(recursive: true);
}
