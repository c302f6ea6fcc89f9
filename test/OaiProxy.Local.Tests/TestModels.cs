using System.Collections.Concurrent;
using System.Text.Json;
using OaiProxy.Testing.Gguf;

namespace OaiProxy.Local.Tests;

/// <summary>Generated model files (one per flavour per test run) and request helpers.</summary>
internal static class TestModels
{
    private static readonly string Dir = Directory.CreateTempSubdirectory("oaiproxy-local-tests-").FullName;
    private static readonly ConcurrentDictionary<TinyGgufOptions, string> Files = new();

    public static string PathFor(TinyGgufOptions? gguf = null)
    {
        gguf ??= new TinyGgufOptions();
        return Files.GetOrAdd(gguf, o => TinyGguf.Write(Path.Combine(Dir, $"tiny-{Files.Count}-{Guid.NewGuid():N}.gguf"), o));
    }

    public static LocalModel Load(TinyReply reply = TinyReply.Uppercase, Func<LocalModelOptions, LocalModelOptions>? configure = null)
    {
        var options = new LocalModelOptions { ModelPath = PathFor(new TinyGgufOptions { Reply = reply }), Threads = 1 };
        return LocalModel.Load(configure is null ? options : configure(options));
    }

    public static LocalChatRequest Chat(string user, string extraJson = "")
    {
        var body = $$"""{"messages":[{"role":"user","content":{{JsonSerializer.Serialize(user)}}}]{{extraJson}}}""";
        using var doc = JsonDocument.Parse(body);
        return LocalChatRequest.FromOpenAi(doc.RootElement);
    }

    public static async Task<(string Text, List<LocalChunk> Chunks)> CollectAsync(
        LocalModel model, LocalChatRequest request, CancellationToken ct = default)
    {
        var chunks = new List<LocalChunk>();
        await foreach (var chunk in model.GenerateAsync(request, ct))
        {
            chunks.Add(chunk);
        }

        return (string.Concat(chunks.Select(c => c.Text)), chunks);
    }
}
