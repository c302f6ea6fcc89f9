using System.Text;
using OaiProxy.Errors;
using OaiProxy.Requests;

namespace OaiProxy.Tests.Requests;

/// <summary>
/// What the one scanner refuses of a body's text before anything reads it: invalid UTF-8 and lone surrogates
/// anywhere (security finding 10), duplicate top-level keys (finding 14), and model names that are too long or not
/// printable (finding 7). Each is a 400 naming the problem, never an exception.
/// </summary>
public sealed class BodyTextTests
{
    private const string Before = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi""";

    public static TheoryData<string, byte[]> InvalidUtf8 => new()
    {
        { "model", Bytes("""{"model":"gpt""", [0xff, 0xfe], "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}") },
        { "property name", Bytes("""{"model":"gpt-4o","mess""", [0xc3], """ages":[],"messages":[{"role":"user","content":"hi"}]}""") },
        { "content", Bytes(Before, [0xed, 0xa0, 0x80], "\"}]}") }, // a surrogate encoded as UTF-8
        { "nested property name", Bytes("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi","x""", [0x80], "\":1}]}") },
        { "overlong encoding", Bytes(Before, [0xc0, 0xaf], "\"}]}") },
        { "truncated sequence", Bytes(Before, [0xe2, 0x82], "\"}]}") },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void InvalidUtf8_AnywhereInTheBody_Is400InvalidJson(string where, byte[] body) => AssertRefusedByEveryParser(body, "UTF-8", where);

    [Theory]
    [InlineData("""{"model":"gpt\ud800","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi \udc00 there"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"\ud83d"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"\ud83dx"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"\ud83d\u0041"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"\ude00\ud83d"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"\uD800":1}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi","name":{"\udfff":true}}]}""")]
    public void LoneSurrogateEscape_AnywhereInTheBody_Is400InvalidJson(string body) =>
        AssertRefusedByEveryParser(Encoding.UTF8.GetBytes(body), "surrogate", body);

    [Theory]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"\ud83d\ude00 and \uD83D\uDE00"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"a literal \\ud800 is text"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"\\\ud83d\ude00\n\"\u00e9"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"raw 😀 é 模型"}]}""")]
    public void WellFormedText_IsAccepted(string body)
    {
        Assert.True(ChatRequestParser.TryParse(Encoding.UTF8.GetBytes(body), out var request, out var error), error?.Message);
        request!.Dispose();
    }

    [Theory]
    [InlineData("""{"model":"expensive-model","messages":[{"role":"user","content":"hi"}],"model":"cheap"}""", "model")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"messages":[]}""", "messages")]
    [InlineData("""{"model":"gpt-4o","stream":false,"messages":[{"role":"user","content":"hi"}],"stream":true}""", "stream")]
    [InlineData("""{"model":"gpt-4o","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"max_tokens":100000}""", "max_tokens")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"\u006dodel":"cheap"}""", "model")]
    public void DuplicateTopLevelKey_Is400NamingIt(string body, string key)
    {
        foreach (var error in ParseAll(Encoding.UTF8.GetBytes(body)))
        {
            Assert.NotNull(error);
            Assert.Equal(400, error.Status);
            Assert.Equal(ErrorCodes.InvalidJson, error.Code);
            Assert.Equal(key, error.Param);
            Assert.Contains($"\"{key}\"", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DuplicateKeyInANestedObject_IsLeftToTheUpstream()
    {
        var body = """{"model":"gpt-4o","messages":[{"role":"user","content":"a","content":"b"}]}""";
        Assert.True(ChatRequestParser.TryParse(Encoding.UTF8.GetBytes(body), out var request, out var error), error?.Message);
        request!.Dispose();
    }

    [Theory]
    [InlineData(257)]
    [InlineData(1_000_000)]
    public void OverlongModel_Is400_WithoutEchoingTheName(int length)
    {
        var name = "gpt" + new string('z', length - 3);
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{name}}","messages":[{"role":"user","content":"hi"}],"input":"x","prompt":"x"}""");

        foreach (var error in ParseAll(body))
        {
            Assert.NotNull(error);
            Assert.Equal(400, error.Status);
            Assert.Equal("model", error.Param);
            Assert.Equal(ModelName.InvalidCode, error.Code);
            Assert.Contains("256", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("zzzzzzzz", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("gpt\\n4o", "U+000A")]
    [InlineData("gpt\\u00004o", "U+0000")]
    [InlineData("gpt\\t4o", "U+0009")]
    [InlineData("gpt\\u007f", "U+007F")]
    [InlineData("gpt\\u0085", "U+0085")]
    [InlineData("gpt\\u202e4o", "U+202E")]
    [InlineData("gpt\\u200b4o", "U+200B")]
    [InlineData("gpt\\u2028", "U+2028")]
    [InlineData("gpt\\ufeff", "U+FEFF")]
    public void ModelWithAnInvisibleOrControlCharacter_Is400NamingTheCharacter(string escapedName, string character)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{escapedName}}","messages":[{"role":"user","content":"hi"}],"input":"x","prompt":"x"}""");

        foreach (var error in ParseAll(body))
        {
            Assert.NotNull(error);
            Assert.Equal(400, error.Status);
            Assert.Equal(ModelName.InvalidCode, error.Code);
            Assert.Contains(character, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("models/gemini-2.5-pro")]
    [InlineData("accounts/fireworks/models/llama-v3p1-405b-instruct")]
    [InlineData("claude-3-5-sonnet@20240620")]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct:free")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0")]
    [InlineData("my local model")]
    [InlineData("模型-1 😀")]
    public void OrdinaryModelNames_AreAccepted(string model)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}],"input":"x","prompt":"x"}""");
        foreach (var error in ParseAll(body)) Assert.Null(error);
    }

    [Fact]
    public void ModelOfTheLongestLength_IsAccepted()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{new string('m', ModelName.MaxLength)}}","messages":[{"role":"user","content":"hi"}]}""");
        Assert.True(ChatRequestParser.TryParse(body, out var request, out var error), error?.Message);
        request!.Dispose();
    }

    private static void AssertRefusedByEveryParser(byte[] body, string says, string where)
    {
        foreach (var error in ParseAll(body))
        {
            Assert.True(error is not null, $"A body with invalid text in the {where} was accepted.");
            Assert.Equal(400, error.Status);
            Assert.Equal(ErrorCodes.InvalidJson, error.Code);
            Assert.Contains(says, error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>The error of every parser built on the scanner (chat, embeddings, completions, the bare scan).</summary>
    private static IEnumerable<ProxyError?> ParseAll(byte[] body)
    {
        if (ChatRequestParser.TryParse(body, out var chat, out var chatError)) chat!.Dispose();
        yield return chatError;
        if (EmbeddingsRequestParser.TryParse(body, out var embeddings, out var embeddingsError)) embeddings!.Envelope.Dispose();
        yield return embeddingsError;
        if (CompletionsRequestParser.TryParse(body, out var completions, out var completionsError)) completions!.Dispose();
        yield return completionsError;
        yield return BodyScanner.Scan(body, static (string _, ref System.Text.Json.Utf8JsonReader reader) =>
        {
            reader.Skip();
            return null;
        }, out var envelope);
        envelope?.Dispose();
    }

    private static byte[] Bytes(string before, byte[] bad, string after) => [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];
}
