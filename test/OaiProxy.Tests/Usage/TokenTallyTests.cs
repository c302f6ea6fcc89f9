using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using OaiProxy.Usage;

namespace OaiProxy.Tests.Usage;

/// <summary>
/// The estimator's work is bounded whatever the text (security finding 1: BPE on one long piece is quadratic, so a
/// 1 MB run of one letter took minutes of CPU). The work is read from the tally's own counters, never from a clock:
/// each tokenizer call gets at most <see cref="TokenEstimator.ChunkChars"/> characters, and no request gets more than
/// <see cref="TokenTally.ExactChars"/> characters tokenized.
/// </summary>
public sealed class TokenTallyTests
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    public static TheoryData<string> Shapes() => ["one letter", "spaces", "punctuation", "digits", "cjk", "emoji", "mixed case", "newlines"];

    private static string Adversarial(string shape, int length)
    {
        var builder = new StringBuilder(length + 2);
        var random = new Random(19);
        while (builder.Length < length)
        {
            switch (shape)
            {
                case "one letter": builder.Append('a'); break;
                case "spaces": builder.Append(' '); break;
                case "punctuation": builder.Append('!'); break;
                case "digits": builder.Append((char)('0' + random.Next(10))); break;
                case "cjk": builder.Append((char)(0x4E00 + random.Next(20_000))); break;
                case "emoji": builder.Append("\U0001F600"); break;
                case "mixed case": builder.Append(random.Next(2) == 0 ? 'a' : 'Z'); break;
                default: builder.Append('\n'); break;
            }
        }
        return builder.ToString();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Add_TenMegabytesOfOnePathologicalShape_WorkIsBoundedAndTheEstimateCoversTheText(string shape)
    {
        var text = Adversarial(shape, TenMegabytes);
        var sut = new TokenTally(CancellationToken.None);

        sut.Add(text);

        Assert.InRange(sut.LongestChunk, 1, TokenEstimator.ChunkChars);
        Assert.Equal(TokenTally.ExactChars, sut.CountedChars);
        // Cuts fall at least half a chunk apart, so the calls are linear in the characters counted.
        Assert.InRange(sut.Chunks, TokenTally.ExactChars / TokenEstimator.ChunkChars, 2 * TokenTally.ExactChars / TokenEstimator.ChunkChars + 1);
        // The untokenized rest is still charged: at least one token per 4 UTF-8 bytes.
        Assert.True(sut.Total >= Encoding.UTF8.GetByteCount(text.AsSpan(TokenTally.ExactChars)) / 4, $"{sut.Total} tokens for {shape}");
    }

    [Fact]
    public void Count_TenMegabyteRequestOfOneLetterRun_TokenizesOnlyTheBoundedPrefix()
    {
        var json = $$"""{"model":"gpt-4o","messages":[{"role":"user","content":"{{new string('a', TenMegabytes)}}"},{"role":"user","content":"{{new string('b', TenMegabytes / 4)}}"}]}""";
        using var doc = JsonDocument.Parse(json);
        var sut = new TokenTally(CancellationToken.None);

        var overhead = PromptTokenCounter.Count(doc.RootElement, sut);

        Assert.Equal(3 + 2 * 3, overhead);
        Assert.Equal(TokenTally.ExactChars, sut.CountedChars);
        Assert.InRange(sut.Chunks, 1, 2 * TokenTally.ExactChars / TokenEstimator.ChunkChars + 1);
        Assert.True(sut.Total >= (TenMegabytes + TenMegabytes / 4 - TokenTally.ExactChars) / 4);
    }

    [Fact]
    public void Add_BelowTheCap_ChunkCountGrowsLinearlyWithTheText()
    {
        var small = new TokenTally(CancellationToken.None);
        var large = new TokenTally(CancellationToken.None);

        small.Add(new string('a', 16 * 1024));
        large.Add(new string('a', 64 * 1024));

        Assert.Equal(16 * 1024 / TokenEstimator.ChunkChars, small.Chunks);
        Assert.Equal(4 * small.Chunks, large.Chunks);
    }

    [Theory]
    [InlineData("prose")]
    [InlineData("code")]
    [InlineData("json")]
    public void Add_OrdinaryText_CountsExactlyWhatTheTokenizerCountsForTheWholeText(string kind)
    {
        var unit = kind switch
        {
            "prose" => "The quick brown fox jumps over the lazy dog.  Then, it said: \"Hello, world!\" and left.\n\n",
            "code" => "public static int Add(int a, int b)\n{\n    return a + b; // sum\n}\n\tif (x  ==  y) { y++; }\r\n",
            _ => """{"name": "value", "list": [1, 2, 3], "nested": {"key": "a b c"}}, """,
        };
        var text = string.Concat(Enumerable.Repeat(unit, 60_000 / unit.Length));
        var whole = TiktokenTokenizer.CreateForEncoding("o200k_base").CountTokens(text);
        var sut = new TokenTally(CancellationToken.None);

        sut.Add(text);

        Assert.Equal(whole, sut.Total);
        Assert.True(sut.Chunks > 100);
    }

    [Fact]
    public void Add_CancelledRequest_StopsBeforeTokenizing()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        var sut = new TokenTally(aborted.Token);

        Assert.Throws<OperationCanceledException>(() => sut.Add(new string('a', TenMegabytes)));
        Assert.Equal(0, sut.Chunks);
    }

    [Fact]
    public void Count_CancelledRequest_Throws()
    {
        using var doc = JsonDocument.Parse("""{"messages":[{"role":"user","content":"hello there"}]}""");
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();

        Assert.Throws<OperationCanceledException>(() => PromptTokenCounter.Count(doc.RootElement, aborted.Token));
    }
}
