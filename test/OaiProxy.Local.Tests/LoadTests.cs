using OaiProxy.Testing.Gguf;

namespace OaiProxy.Local.Tests;

public sealed class LoadTests
{
    private static string TempFile(string name, byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"oaiproxy-{Guid.NewGuid():N}-{name}");
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public void Load_MissingFile_ExplainsWithPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.gguf");

        var e = Assert.Throws<LocalModelLoadException>(() => LocalModel.Load(new LocalModelOptions { ModelPath = path }));

        Assert.Equal(path, e.ModelPath);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotGguf_ExplainsBadMagic()
    {
        var path = TempFile("model.gguf", "this is not a model at all"u8.ToArray());

        var e = Assert.Throws<LocalModelLoadException>(() => LocalModel.Load(new LocalModelOptions { ModelPath = path }));

        Assert.Contains("not a usable GGUF model", e.Message, StringComparison.Ordinal);
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedGguf_ExplainsTruncation()
    {
        var whole = File.ReadAllBytes(TestModels.PathFor());
        var path = TempFile("cut.gguf", whole[..200]);

        var e = Assert.Throws<LocalModelLoadException>(() => LocalModel.Load(new LocalModelOptions { ModelPath = path }));

        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownArchitecture_NamesIt()
    {
        var path = TestModels.PathFor(new TinyGgufOptions { Architecture = "made-up-arch" });

        var e = Assert.Throws<LocalModelLoadException>(() => LocalModel.Load(new LocalModelOptions { ModelPath = path }));

        Assert.Contains("'made-up-arch'", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not support", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownTemplateOverride_SuggestsBuiltInNames()
    {
        var options = new LocalModelOptions { ModelPath = TestModels.PathFor(), ChatTemplate = "no-such-template" };

        var e = Assert.Throws<LocalModelLoadException>(() => LocalModel.Load(options));

        Assert.Contains("'ChatTemplate'", e.Message, StringComparison.Ordinal);
        Assert.Contains("chatml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidOptions_ReportsEveryError()
    {
        var options = new LocalModelOptions { ModelPath = TestModels.PathFor(), MaxConcurrency = 0, Threads = 0, Load = "later" };

        var e = Assert.Throws<LocalModelLoadException>(() => LocalModel.Load(options));

        Assert.Contains("'MaxConcurrency'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Threads'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Load'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_Startup_ReadsMetadataAndCapsContext()
    {
        await using var sut = LocalModel.Load(new LocalModelOptions { ModelPath = TestModels.PathFor(), Threads = 1 });

        Assert.True(sut.IsLoaded);
        Assert.Equal("tiny-bigram", sut.Name);
        Assert.Equal(2048, sut.TrainedContextLength);
        Assert.Equal(2048, sut.Loaded!.ContextSize); // 4096 asked, capped by the trained context
    }

    [Fact]
    public async Task Load_FirstUse_LoadsOnFirstRequest()
    {
        var options = new LocalModelOptions { ModelPath = TestModels.PathFor(), Threads = 1, Load = LocalModelOptions.LoadOnFirstUse };
        await using var sut = LocalModel.Load(options);
        Assert.False(sut.IsLoaded);
        Assert.Equal("tiny-bigram", sut.Name);

        var (text, _) = await TestModels.CollectAsync(sut, TestModels.Chat("X"));

        Assert.True(sut.IsLoaded);
        Assert.Equal("UVWXYZ.", text);
    }
}
