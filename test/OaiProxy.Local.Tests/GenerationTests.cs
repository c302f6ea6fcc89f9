using OaiProxy.Testing.Gguf;

namespace OaiProxy.Local.Tests;

public sealed class GenerationTests
{
    // BOS, <|im_start|>, "user\n", "X", <|im_end|>, "\n", <|im_start|>, "assistant\n": 1+1+5+1+1+1+1+10.
    private const int ChatMlPromptTokensForX = 21;

    [Fact]
    public async Task Generate_ChatMlPrompt_ExactCompletionStopAndUsage()
    {
        await using var sut = TestModels.Load();

        var (text, chunks) = await TestModels.CollectAsync(sut, TestModels.Chat("X", ""","temperature":0"""));

        Assert.Equal("UVWXYZ.", text);
        var final = chunks[^1];
        Assert.True(final.IsFinal);
        Assert.Equal(LocalFinishReasons.Stop, final.FinishReason);
        // Seven characters plus the end-of-generation token.
        Assert.Equal(new LocalUsage(ChatMlPromptTokensForX, 8), final.Usage);
        Assert.All(chunks[..^1], c => Assert.False(c.IsFinal));
    }

    [Fact]
    public async Task Generate_Streaming_OneChunkPerTokenConcatenatesToText()
    {
        await using var sut = TestModels.Load();

        var (text, chunks) = await TestModels.CollectAsync(sut, TestModels.Chat("X"));

        Assert.Equal(["U", "V", "W", "X", "Y", "Z", "."], chunks.Where(c => !c.IsFinal).Select(c => c.Text!));
        Assert.Equal("UVWXYZ.", text);
    }

    [Fact]
    public async Task Generate_MaxTokens_FinishLength()
    {
        await using var sut = TestModels.Load();

        var (text, chunks) = await TestModels.CollectAsync(sut, TestModels.Chat("X", ""","max_tokens":3"""));

        Assert.Equal("UVW", text);
        Assert.Equal(LocalFinishReasons.Length, chunks[^1].FinishReason);
        Assert.Equal(new LocalUsage(ChatMlPromptTokensForX, 3), chunks[^1].Usage);
    }

    [Fact]
    public async Task Generate_ContextFull_FinishLength()
    {
        await using var sut = TestModels.Load(configure: o => o with { ContextSize = ChatMlPromptTokensForX + 3 });

        var (text, chunks) = await TestModels.CollectAsync(sut, TestModels.Chat("X"));

        Assert.Equal("UVW", text);
        Assert.Equal(LocalFinishReasons.Length, chunks[^1].FinishReason);
        Assert.Equal(new LocalUsage(ChatMlPromptTokensForX, 3), chunks[^1].Usage);
    }

    [Fact]
    public async Task Generate_EndlessModel_StopsAtContextWithLength()
    {
        await using var sut = TestModels.Load(TinyReply.Lowercase, o => o with { ContextSize = 64 });

        var (text, chunks) = await TestModels.CollectAsync(sut, TestModels.Chat("X"));

        Assert.Equal(64 - ChatMlPromptTokensForX, text.Length);
        Assert.StartsWith("abcdefghijklmnopqrstuvwxyzabc", text, StringComparison.Ordinal);
        Assert.Equal(LocalFinishReasons.Length, chunks[^1].FinishReason);
        Assert.Equal(new LocalUsage(ChatMlPromptTokensForX, 64 - ChatMlPromptTokensForX), chunks[^1].Usage);
    }

    [Fact]
    public async Task Generate_PromptLongerThanContext_RequestException()
    {
        await using var sut = TestModels.Load(configure: o => o with { ContextSize = 16 });

        var e = await Assert.ThrowsAsync<LocalRequestException>(() => TestModels.CollectAsync(sut, TestModels.Chat("X")));

        Assert.Equal("messages", e.Param);
    }

    [Fact]
    public async Task Generate_SamplingWithSeedAndPenalties_SameTextAsGreedy()
    {
        await using var sut = TestModels.Load();
        const string sampling = ""","temperature":1,"top_p":0.9,"top_k":40,"seed":42,"presence_penalty":0.5,"frequency_penalty":0.5""";

        var (text, _) = await TestModels.CollectAsync(sut, TestModels.Chat("X", sampling));

        Assert.Equal("UVWXYZ.", text);
    }

    [Fact]
    public async Task Generate_MultiByteCharacters_NeverSplitAcrossChunks()
    {
        await using var sut = TestModels.Load(TinyReply.Utf8);

        var (text, chunks) = await TestModels.CollectAsync(sut, TestModels.Chat("X"));

        Assert.Equal("😀✓.", text);
        Assert.Equal(["😀", "✓", "."], chunks.Where(c => !c.IsFinal).Select(c => c.Text!));
        Assert.Equal(9, chunks[^1].Usage!.CompletionTokens);
    }

    [Fact]
    public async Task Generate_PooledContextReused_SecondRequestSameResult()
    {
        await using var sut = TestModels.Load();

        var first = await TestModels.CollectAsync(sut, TestModels.Chat("X"));
        var second = await TestModels.CollectAsync(sut, TestModels.Chat("X"));

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Chunks[^1].Usage, second.Chunks[^1].Usage);
        Assert.Equal(1, sut.ContextsCreated);
    }

    [Fact]
    public async Task Generate_RandomWeights_EveryChunkIsWellFormedText()
    {
        var path = TestModels.PathFor(new TinyGgufOptions { Random = true, Embedding = 64, Heads = 4 });
        await using var sut = LocalModel.Load(new LocalModelOptions { ModelPath = path, Threads = 1 });

        var (text, chunks) = await TestModels.CollectAsync(sut, TestModels.Chat("X", ""","max_tokens":300,"seed":1"""));

        // Arbitrary bytes, including invalid UTF-8: still never a lone surrogate in any chunk.
        var strict = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);
        Assert.All(chunks.Where(c => !c.IsFinal), c => strict.GetByteCount(c.Text!));
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
        Assert.InRange(chunks[^1].Usage!.CompletionTokens, 1, 300);
    }
}
