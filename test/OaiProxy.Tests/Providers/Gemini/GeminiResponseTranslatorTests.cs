using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Providers.Gemini;

namespace OaiProxy.Tests.Providers.Gemini;

public sealed class GeminiResponseTranslatorTests
{
    private static string? Translate(string gemini)
    {
        using var doc = JsonDocument.Parse(gemini);
        var bytes = GeminiResponseTranslator.Translate(doc.RootElement, "gemini-upstream", 1_700_000_000);
        return bytes is null ? null : Encoding.UTF8.GetString(bytes);
    }

    [Fact]
    public void Translate_TextAnswer_MatchesGolden() => Assert.Equal(
        """{"id":"chatcmpl-resp1","object":"chat.completion","created":1700000000,"model":"gemini-2.5-flash-001","choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny.","refusal":null,"reasoning_content":"Thinking…"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":120,"completion_tokens":65,"total_tokens":185,"prompt_tokens_details":{"cached_tokens":20},"completion_tokens_details":{"reasoning_tokens":40}}}""",
        Translate("""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Thinking…","thought":true},{"text":"It is "},{"text":"sunny."}]},"finishReason":"STOP","index":0,"safetyRatings":[]}],
             "usageMetadata":{"promptTokenCount":120,"candidatesTokenCount":25,"thoughtsTokenCount":40,"totalTokenCount":185,"cachedContentTokenCount":20},
             "modelVersion":"gemini-2.5-flash-001","responseId":"resp1"}
            """));

    [Fact]
    public void Translate_FunctionCalls_BecomeToolCallsWithStableIdsAndToolCallsReason()
    {
        const string gemini = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Checking."},
              {"functionCall":{"name":"get_weather","args":{"city":"Paris","units":{"c":true}}},"thoughtSignature":"c2lnLTE="},
              {"functionCall":{"id":"fc-2","name":"get_time"}}]},"finishReason":"STOP"}],"responseId":"r9"}
            """;

        var first = JsonNode.Parse(Translate(gemini)!)!;
        var again = JsonNode.Parse(Translate(gemini)!)!;

        var message = first["choices"]![0]!["message"]!;
        Assert.Equal("Checking.", message["content"]!.GetValue<string>());
        Assert.Equal("tool_calls", first["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var calls = message["tool_calls"]!.AsArray();
        Assert.Equal("""{"city":"Paris","units":{"c":true}}""", calls[0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("{}", calls[1]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("function", calls[0]!["type"]!.GetValue<string>());
        Assert.Null(calls[0]!["index"]);
        var id0 = calls[0]!["id"]!.GetValue<string>();
        Assert.StartsWith("call_", id0, StringComparison.Ordinal);
        Assert.Equal((null, "c2lnLTE="), GeminiToolCallId.Parse(id0));
        Assert.Equal(("fc-2", null), GeminiToolCallId.Parse(calls[1]!["id"]!.GetValue<string>()));
        Assert.Equal(id0, again["choices"]![0]!["message"]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("gemini-upstream", first["model"]!.GetValue<string>());
        Assert.Null(first["usage"]);
    }

    [Fact]
    public void Translate_SignedThoughtAndAnswerParts_BecomeGeminiThinkingBlocks()
    {
        var json = JsonNode.Parse(Translate("""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Plan.","thought":true,"thoughtSignature":"dGgtc2ln"},{"text":"Done.","thoughtSignature":"dHgtc2ln"}]},"finishReason":"STOP"}],"responseId":"r3"}
            """)!)!;

        var message = json["choices"]![0]!["message"]!;
        Assert.Equal("Plan.", message["reasoning_content"]!.GetValue<string>());
        Assert.Equal("Done.", message["content"]!.GetValue<string>());
        Assert.Equal("""[{"type":"gemini_thought","thinking":"Plan.","signature":"dGgtc2ln"},{"type":"gemini_thought","signature":"dHgtc2ln"}]""",
            message["thinking_blocks"]!.ToJsonString());
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("FINISH_REASON_UNSPECIFIED", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("BLOCKLIST", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("SPII", "content_filter")]
    [InlineData("LANGUAGE", "content_filter")]
    [InlineData("IMAGE_SAFETY", "content_filter")]
    [InlineData("OTHER", "stop")]
    [InlineData("MALFORMED_FUNCTION_CALL", "stop")]
    [InlineData("TOO_MANY_TOOL_CALLS", "stop")]
    [InlineData("BRAND_NEW_REASON", "stop")]
    public void FinishReason_IsMapped(string gemini, string openAi)
    {
        Assert.Equal(openAi, GeminiFinishReason.ToOpenAi(gemini, sawFunctionCall: false));
        Assert.Equal("tool_calls", GeminiFinishReason.ToOpenAi(gemini, sawFunctionCall: true));
    }

    [Fact]
    public void Translate_CandidateWithoutContent_HasNullContent() => Assert.Equal(
        """{"index":0,"message":{"role":"assistant","content":null,"refusal":null},"logprobs":null,"finish_reason":"content_filter"}""",
        JsonNode.Parse(Translate("""{"candidates":[{"finishReason":"SAFETY","index":0}],"responseId":"r"}""")!)!["choices"]![0]!.ToJsonString());

    [Fact]
    public void Translate_SeveralCandidates_KeepTheirIndexes()
    {
        var json = JsonNode.Parse(Translate("""{"candidates":[{"content":{"parts":[{"text":"a"}]},"finishReason":"STOP","index":0},{"content":{"parts":[{"text":"b"}]},"finishReason":"MAX_TOKENS","index":1}],"responseId":"r"}""")!)!;

        Assert.Equal([0, 1], json["choices"]!.AsArray().Select(c => c!["index"]!.GetValue<int>()));
        Assert.Equal("b", json["choices"]![1]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("length", json["choices"]![1]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_BlockedPrompt_IsOneContentFilterChoice() => Assert.Equal(
        """[{"index":0,"message":{"role":"assistant","content":null,"refusal":null},"logprobs":null,"finish_reason":"content_filter"}]""",
        JsonNode.Parse(Translate("""{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":5,"totalTokenCount":5},"responseId":"r"}""")!)!["choices"]!.ToJsonString());

    [Fact]
    public void Translate_NoCandidatesNoBlock_IsNull() => Assert.Null(Translate("""{"usageMetadata":{"promptTokenCount":5}}"""));

    [Fact]
    public void Translate_MissingResponseId_GeneratesAnId() =>
        Assert.StartsWith("chatcmpl-", JsonNode.Parse(Translate("""{"candidates":[{"content":{"parts":[{"text":"a"}]},"finishReason":"STOP"}]}""")!)!["id"]!.GetValue<string>(), StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"promptTokenCount":10,"candidatesTokenCount":5,"totalTokenCount":15}""", 10, 5, 15, 0, 0)]
    [InlineData("""{"promptTokenCount":10,"candidatesTokenCount":5,"thoughtsTokenCount":7,"totalTokenCount":22}""", 10, 12, 22, 0, 7)]
    [InlineData("""{"promptTokenCount":10,"candidatesTokenCount":12,"thoughtsTokenCount":7,"totalTokenCount":22}""", 10, 12, 22, 0, 7)]
    [InlineData("""{"promptTokenCount":10,"toolUsePromptTokenCount":3,"candidatesTokenCount":5,"totalTokenCount":18,"cachedContentTokenCount":4}""", 13, 5, 18, 4, 0)]
    [InlineData("""{"promptTokenCount":9}""", 9, 0, 9, 0, 0)]
    public void Usage_IsMapped(string metadata, long prompt, long completion, long total, long cached, long reasoning)
    {
        using var doc = JsonDocument.Parse($$"""{"usageMetadata":{{metadata}}}""");

        Assert.Equal(new GeminiUsage(prompt, completion, total, cached, reasoning), GeminiUsage.Read(doc.RootElement));
    }
}
