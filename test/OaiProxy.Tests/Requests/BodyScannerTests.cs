using System.Text;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Requests;

namespace OaiProxy.Tests.Requests;

public sealed class BodyScannerTests
{
    [Theory]
    [InlineData("chat", "[1,2,3]", "invalid_type", null)]
    [InlineData("embeddings", "[1,2,3]", "invalid_json", null)]
    [InlineData("completions", "[1,2,3]", "invalid_json", null)]
    [InlineData("chat", "{not json", "invalid_json", null)]
    [InlineData("embeddings", "{not json", "invalid_json", null)]
    [InlineData("completions", "{not json", "invalid_json", null)]
    [InlineData("chat", """{"model":"m"} {}""", "invalid_json", null)]
    [InlineData("embeddings", """{"model":"m"} {}""", "invalid_json", null)]
    [InlineData("completions", """{"model":"m"} {}""", "invalid_json", null)]
    [InlineData("chat", """{"model":42}""", "invalid_type", "model")]
    [InlineData("embeddings", """{"model":42}""", "invalid_type", "model")]
    [InlineData("completions", """{"model":42}""", "invalid_type", "model")]
    [InlineData("chat", """{"model":"m","stream":"yes"}""", "invalid_type", "stream")]
    [InlineData("embeddings", """{"model":"m","stream":"yes"}""", "invalid_type", "stream")]
    [InlineData("completions", """{"model":"m","stream":"yes"}""", "invalid_type", "stream")]
    [InlineData("chat", "{}", "missing_required_parameter", "model")]
    [InlineData("embeddings", "{}", "missing_required_parameter", "model")]
    [InlineData("completions", "{}", "missing_required_parameter", "model")]
    public void Parse_BodyFaultsEveryEndpointShares_AnsweredByTheOneScanner(string endpoint, string body, string code, string? param)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var (_, error) = Parse(endpoint, bytes);

        var scanner = BodyScanner.Scan(bytes, SkipAll, out _);
        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal(code, error.Code);
        Assert.Equal(param, error.Param);
        Assert.Equal(scanner!.Message, error.Message);
    }

    [Theory]
    [InlineData("chat", """{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""")]
    [InlineData("embeddings", """{"model":"m","input":"hi","stream":true,"stream_options":{"include_usage":true}}""")]
    [InlineData("completions", """{"model":"m","prompt":"hi","stream":true,"stream_options":{"include_usage":true}}""")]
    public void Parse_ValidBody_EnvelopeFromTheOneScanner(string endpoint, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var (parsed, error) = Parse(endpoint, bytes);
        using var envelope = parsed;

        Assert.True(envelope is not null, error?.Message);
        Assert.Equal("m", envelope.Model);
        Assert.True(envelope.Stream);
        Assert.True(envelope.IncludeUsage);
        Assert.Equal("\"m\"", body[envelope.Fields.ModelToken]);
        Assert.Equal(body.Length - 1, envelope.Fields.ObjectEnd);
    }

    [Fact]
    public void Parse_Chat_CountsMessages()
    {
        Assert.True(ChatRequestParser.TryParse(Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user"},{"role":"assistant"}]}"""), out var request, out _));
        using (request) Assert.Equal(2, request!.Fields.MessageCount);
    }

    private static ProxyError? SkipAll(string name, ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static (RequestBody? Envelope, ProxyError? Error) Parse(string endpoint, byte[] body) => endpoint switch
    {
        "chat" => ChatRequestParser.TryParse(body, out var chat, out var error) ? (chat, null) : (null, error),
        "embeddings" => EmbeddingsRequestParser.TryParse(body, out var embeddings, out var error) ? (embeddings!.Envelope, null) : (null, error),
        _ => CompletionsRequestParser.TryParse(body, out var completions, out var error) ? (completions, null) : (null, error),
    };
}
