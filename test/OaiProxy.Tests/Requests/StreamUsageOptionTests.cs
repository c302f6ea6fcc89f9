using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Requests;

namespace OaiProxy.Tests.Requests;

public sealed class StreamUsageOptionTests
{
    private static string Add(string body) => Encoding.UTF8.GetString(StreamUsageOption.Add(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Add_NoStreamOptions_AppendedBeforeTheClosingBraceAndNothingElseChanges()
    {
        const string body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"}\"}]}  \n";
        Assert.Equal("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"}\"}],\"stream_options\":{\"include_usage\":true}}  \n", Add(body));
    }

    [Theory]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_obfuscation":false},"n":1}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_usage":false},"n":1}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":null,"n":1}""")]
    public void Add_ClientStreamOptions_RewrittenInPlaceKeepingItsOtherFields(string body)
    {
        var sent = JsonNode.Parse(Add(body))!.AsObject();

        Assert.True(sent["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(1, sent["n"]!.GetValue<int>());
        Assert.Equal(["model", "stream", "stream_options", "n"], sent.Select(p => p.Key));
        if (body.Contains("include_obfuscation", StringComparison.Ordinal)) Assert.False(sent["stream_options"]!["include_obfuscation"]!.GetValue<bool>());
    }
}
