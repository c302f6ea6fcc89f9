using System.Text;
using OaiProxy.Usage;
using OaiProxy.Wire;

namespace OaiProxy.Tests.Wire;

public sealed class OpenAiChunkWriterTests
{
    private const string Head = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m","choices":""";

    private static OpenAiChunkWriter Writer(bool includeUsage) => new(1_700_000_000, includeUsage) { Id = "chatcmpl-1", Model = "m" };

    private static string Text(byte[] chunk) => Encoding.UTF8.GetString(chunk);

    [Fact]
    public void Role_WithoutIncludeUsage_EnvelopeWithoutUsage()
    {
        var sut = Writer(includeUsage: false);

        Assert.Equal(Head + """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""", Text(sut.Role()));
    }

    [Fact]
    public void ChoiceChunks_WithIncludeUsage_EndInUsageNull()
    {
        var sut = Writer(includeUsage: true);

        Assert.Equal(Head + """[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null}""", Text(sut.Content("Hi")));
        Assert.Equal(Head + """[{"index":2,"delta":{"reasoning_content":"Hm"},"logprobs":null,"finish_reason":null}],"usage":null}""", Text(sut.Reasoning("Hm", choice: 2)));
        Assert.Equal(Head + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""", Text(sut.Finish("stop")));
    }

    [Fact]
    public void BeginEnd_CustomDelta_WritesItInsideTheEnvelope()
    {
        var sut = Writer(includeUsage: false);

        var writer = sut.Begin(choice: 1);
        writer.WriteString("refusal", "No.");
        var chunk = sut.End(writer, "content_filter");

        Assert.Equal(Head + """[{"index":1,"delta":{"refusal":"No."},"logprobs":null,"finish_reason":"content_filter"}]}""", Text(chunk));
    }

    [Fact]
    public void ToolCallStart_NameAndId_IndexIdTypeAndEmptyArguments()
    {
        var sut = Writer(includeUsage: false);

        Assert.Equal(
            Head + """[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}]}""",
            Text(sut.ToolCallStart(1, "call_1", "get_weather")));
    }

    [Fact]
    public void ToolCallStart_WholeArguments_WrittenWithTheStart()
    {
        var sut = Writer(includeUsage: false);

        Assert.Equal(
            Head + """[{"index":3,"delta":{"tool_calls":[{"index":0,"id":"c","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},"logprobs":null,"finish_reason":null}]}""",
            Text(sut.ToolCallStart(0, "c", "f", """{"x":1}""", choice: 3)));
    }

    [Fact]
    public void ToolCallArguments_Fragment_OnlyIndexAndArguments()
    {
        var sut = Writer(includeUsage: false);

        Assert.Equal(
            Head + """[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"city\":"}}]},"logprobs":null,"finish_reason":null}]}""",
            Text(sut.ToolCallArguments(1, """{"city":""")));
    }

    [Fact]
    public void Usage_IncludeUsage_EmptyChoicesThenUsageObject()
    {
        var sut = Writer(includeUsage: true);

        var chunk = sut.Usage(new UsageInfo(10, 5, 15) { CachedTokens = 4, ReasoningTokens = 2 });

        Assert.Equal(
            Head + """[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}""",
            Text(chunk));
    }

    [Fact]
    public void Content_NonAsciiAndQuotes_NotEscaped()
    {
        var sut = Writer(includeUsage: false);

        Assert.Equal(Head + """[{"index":0,"delta":{"content":"Thinking… \"Grüße\" <b>'ok'</b>"},"logprobs":null,"finish_reason":null}]}""",
            Text(sut.Content("Thinking… \"Grüße\" <b>'ok'</b>")));
    }

    [Fact]
    public void Chunks_OneAfterAnother_EachAWholeIndependentCopy()
    {
        var sut = Writer(includeUsage: false);

        var first = sut.Content("a much longer first text");
        var second = sut.Content("b");

        Assert.EndsWith("""{"content":"a much longer first text"},"logprobs":null,"finish_reason":null}]}""", Text(first), StringComparison.Ordinal);
        Assert.EndsWith("""{"content":"b"},"logprobs":null,"finish_reason":null}]}""", Text(second), StringComparison.Ordinal);
    }

    [Fact]
    public void IdAndModel_ChangedMidStream_LaterChunksCarryTheNewOnes()
    {
        var sut = new OpenAiChunkWriter(1, includeUsage: false);

        var before = Text(sut.Role());
        sut.Id = "msg_1";
        sut.Model = "claude";

        Assert.StartsWith("""{"id":"","object":"chat.completion.chunk","created":1,"model":"","choices":""", before, StringComparison.Ordinal);
        Assert.StartsWith("""{"id":"msg_1","object":"chat.completion.chunk","created":1,"model":"claude","choices":""", Text(sut.Finish("stop")), StringComparison.Ordinal);
    }
}
