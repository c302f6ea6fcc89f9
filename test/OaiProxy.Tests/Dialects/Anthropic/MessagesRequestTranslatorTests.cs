using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Dialects.Anthropic;
using OaiProxy.Requests;

namespace OaiProxy.Tests.Dialects.Anthropic;

public sealed class MessagesRequestTranslatorTests
{
    // Every mapping at once: sampling, stop, user, thinking, stream, system blocks, tool use and results (with media
    // and errors), documents, image URLs, tools with and without schemas, a forced tool choice.
    private const string Request = """
        {"model":"claude-x","max_tokens":300,"temperature":0.5,"top_p":0.9,"stop_sequences":["END"],"metadata":{"user_id":"u-1"}, "thinking":{"type":"enabled","budget_tokens":5000},"stream":true, "system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Über alles."}], "messages":[  {"role":"user","content":"What is in the image? \"quote\""},  {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},{"type":"text","text":"Let me look."},{"type":"tool_use","id":"toolu_1","name":"look","input":{"at":"image", "n": 2}}]},  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"a cat"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},{"type":"tool_result","tool_use_id":"toolu_2","is_error":true,"content":"boom"},{"type":"text","text":"and this pdf"},{"type":"document","title":"r.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]},  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_3","name":"noargs"}]},  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_3"}]} ], "tools":[{"name":"look","description":"Looks.","input_schema":{"type":"object","properties":{"at":{"type":"string"}}}},{"name":"noargs","strict":true}], "tool_choice":{"type":"tool","name":"look","disable_parallel_tool_use":true}}
        """;

    // What the tree-building translator produced for the same request (before the writer replaced it).
    private const string Expected = """
        {"model":"claude-x","max_tokens":300,"temperature":0.5,"top_p":0.9,"stop":["END"],"user":"u-1","reasoning_effort":"medium","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"Be brief.\n\n\u00DCber alles."},{"role":"user","content":"What is in the image? \u0022quote\u0022"},{"role":"assistant","content":"Let me look.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"look","arguments":"{\u0022at\u0022:\u0022image\u0022,\u0022n\u0022:2}"}}]},{"role":"tool","tool_call_id":"toolu_1","content":"a cat"},{"role":"tool","tool_call_id":"toolu_2","content":"Error: boom"},{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"text","text":"and this pdf"},{"type":"file","file":{"filename":"r.pdf","file_data":"data:application/pdf;base64,JVBERi0="}},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"toolu_3","type":"function","function":{"name":"noargs","arguments":"{}"}}]},{"role":"tool","tool_call_id":"toolu_3","content":""}],"tools":[{"type":"function","function":{"name":"look","description":"Looks.","parameters":{"type":"object","properties":{"at":{"type":"string"}}}}},{"type":"function","function":{"name":"noargs","parameters":{"type":"object"},"strict":true}}],"tool_choice":{"type":"function","function":{"name":"look"}},"parallel_tool_calls":false}
        """;

    [Fact]
    public void ToOpenAiChat_EveryMapping_MatchesTheGolden()
    {
        using var document = JsonDocument.Parse(Request);
        using var sut = MessagesRequestTranslator.ToOpenAiChat(document.RootElement);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Expected), JsonNode.Parse(sut.Body.Span)));
    }

    [Fact]
    public void ToOpenAiChat_RecordsItsFields_AsAScanOfItsBytesWould()
    {
        using var document = JsonDocument.Parse(Request);
        using var sut = MessagesRequestTranslator.ToOpenAiChat(document.RootElement);

        Assert.True(ChatRequestParser.TryParse(sut.Body.ToArray(), out var scanned, out var error), error?.Message);
        using (scanned)
        {
            Assert.Equal(scanned!.Model, sut.Model);
            Assert.Equal(scanned.Stream, sut.Stream);
            Assert.Equal(scanned.IncludeUsage, sut.IncludeUsage);
            Assert.Equal(scanned.Fields.MessageCount, sut.Fields.MessageCount);
            Assert.Equal(scanned.Fields.ModelToken, sut.Fields.ModelToken);
            Assert.Equal(scanned.Fields.ObjectEnd, sut.Fields.ObjectEnd);
            Assert.Equal(scanned.Fields.TopLevelKeys.Order(StringComparer.Ordinal), sut.Fields.TopLevelKeys.Order(StringComparer.Ordinal));
        }
        using var small = Translate("""{"model":"claude-x","max_tokens":1,"messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal("""{"model":"claude-3","max_tokens":1,"messages":[{"role":"user","content":"x"}]}""",
            Encoding.UTF8.GetString(BodyRewriter.Rewrite(small, "claude-3", null)));
    }

    [Fact]
    public void ToOpenAiChat_NoMessagesAtAll_IsTheEmptyMessagesError()
    {
        using var document = JsonDocument.Parse("""{"model":"m","max_tokens":1,"messages":[]}""");
        var e = Assert.Throws<MessagesTranslationException>(() => MessagesRequestTranslator.ToOpenAiChat(document.RootElement));
        Assert.Equal("empty_array", e.Error.Code);
    }

    private static RequestBody Translate(string request)
    {
        using var document = JsonDocument.Parse(request);
        return MessagesRequestTranslator.ToOpenAiChat(document.RootElement);
    }
}
