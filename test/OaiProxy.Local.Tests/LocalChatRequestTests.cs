using System.Text.Json;

namespace OaiProxy.Local.Tests;

public sealed class LocalChatRequestTests
{
    private static LocalChatRequest Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return LocalChatRequest.FromOpenAi(doc.RootElement);
    }

    private static LocalRequestException Reject(string json) => Assert.Throws<LocalRequestException>(() => Parse(json));

    [Fact]
    public void FromOpenAi_FullRequest_ReadsEverySupportedParameter()
    {
        var sut = Parse("""
            {"model":"m","stream":true,"messages":[
              {"role":"developer","content":"d"},
              {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
              {"role":"assistant","content":"c"}],
             "temperature":0.5,"top_p":0.9,"top_k":40,"seed":7,"presence_penalty":0.1,"frequency_penalty":-0.2,
             "stop":["x","yz"],"max_tokens":5,"max_completion_tokens":9,"tool_choice":"none","tools":[],"n":1,
             "logprobs":false,"response_format":{"type":"text"}}
            """);

        Assert.Equal([new("system", "d"), new("user", "a\nb"), new("assistant", "c")], sut.Messages);
        Assert.Equal(0.5f, sut.Temperature);
        Assert.Equal(0.9f, sut.TopP);
        Assert.Equal(40, sut.TopK);
        Assert.Equal(7, sut.Seed);
        Assert.Equal(0.1f, sut.PresencePenalty);
        Assert.Equal(-0.2f, sut.FrequencyPenalty);
        Assert.Equal(["x", "yz"], sut.Stop);
        Assert.Equal(9, sut.MaxTokens);
    }

    [Fact]
    public void FromOpenAi_StopString_NullsAndMaxTokens_Read()
    {
        var sut = Parse("""{"messages":[{"role":"user","content":"q"}],"stop":"END","temperature":null,"max_tokens":3}""");

        Assert.Equal(["END"], sut.Stop);
        Assert.Null(sut.Temperature);
        Assert.Equal(3, sut.MaxTokens);
    }

    [Theory]
    [InlineData("""{"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"auto"}""", "tools")]
    [InlineData("""{"functions":[{"name":"f"}]}""", "functions")]
    [InlineData("""{"n":2}""", "n")]
    [InlineData("""{"logprobs":true}""", "logprobs")]
    [InlineData("""{"top_logprobs":2}""", "top_logprobs")]
    [InlineData("""{"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{}}}}""", "response_format")]
    [InlineData("""{"response_format":{"type":"json_object"}}""", "response_format")]
    [InlineData("""{"temperature":3}""", "temperature")]
    [InlineData("""{"top_p":"high"}""", "top_p")]
    [InlineData("""{"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"stop":[1]}""", "stop")]
    [InlineData("""{"stop":""}""", "stop")]
    public void FromOpenAi_UnsupportedParameter_RejectedNamingIt(string extra, string param)
    {
        var json = extra.Insert(1, """ "messages":[{"role":"user","content":"q"}], """);

        var e = Reject(json);

        Assert.Equal(param, e.Param);
        Assert.Contains($"'{param}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:,"}}]}""", "messages[0].content[0]")]
    [InlineData("""{"role":"user","content":[{"type":"text","text":"a"},{"type":"input_audio","input_audio":{}}]}""", "messages[0].content[1]")]
    [InlineData("""{"role":"user","content":[{"type":"file","file":{}}]}""", "messages[0].content[0]")]
    [InlineData("""{"role":"tool","content":"r","tool_call_id":"1"}""", "messages[0].role")]
    [InlineData("""{"role":"assistant","content":null,"tool_calls":[]}""", "messages[0].tool_calls")]
    [InlineData("""{"role":"wizard","content":"x"}""", "messages[0].role")]
    [InlineData("""{"role":"user"}""", "messages[0].content")]
    public void FromOpenAi_UnsupportedMessage_RejectedNamingIt(string message, string param)
    {
        var e = Reject($$"""{"messages":[{{message}}]}""");

        Assert.Equal(param, e.Param);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"messages":[]}""")]
    [InlineData("""{"messages":"hi"}""")]
    public void FromOpenAi_MissingMessages_Rejected(string json) => Assert.Equal("messages", Reject(json).Param);
}
