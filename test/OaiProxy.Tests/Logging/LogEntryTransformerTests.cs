using System.Text.Json.Nodes;
using OaiProxy.Logging;

namespace OaiProxy.Tests.Logging;

public sealed class LogEntryTransformerTests
{
    private static readonly JsonObject Entry = JsonNode.Parse("""{"a":{"list":[{"x":1},{"x":2}]},"s":"v"}""")!.AsObject();

    [Theory]
    [InlineData("s", "\"v\"")]
    [InlineData("a.list.1.x", "2")]
    [InlineData("a.list[0].x", "1")]
    [InlineData("a.list.-1.x", "2")]
    public void Resolve_FollowsDottedPathsAndIndices(string path, string expected) =>
        Assert.Equal(expected, LogEntryTransformer.Resolve(Entry, path)!.ToJsonString());

    [Theory]
    [InlineData("a.list.5.x")]
    [InlineData("nope")]
    [InlineData("s.deeper")]
    public void Resolve_Miss_IsNull(string path) => Assert.Null(LogEntryTransformer.Resolve(Entry, path));
}
