using System.Buffers;
using System.Text;
using System.Text.Json;
using OaiProxy.Usage;
using OaiProxy.Wire;

namespace OaiProxy.Tests.Wire;

public sealed class OpenAiUsageJsonTests
{
    private static string Write(UsageInfo usage)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions)) OpenAiUsageJson.Write(writer, usage);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Write_WithoutCacheWriteTokens_OpenAiShapeOnly()
    {
        var sut = Write(new UsageInfo(120, 65, 185) { CachedTokens = 20, ReasoningTokens = 40 });

        Assert.Equal(
            """{"prompt_tokens":120,"completion_tokens":65,"total_tokens":185,"prompt_tokens_details":{"cached_tokens":20},"completion_tokens_details":{"reasoning_tokens":40}}""",
            sut);
    }

    [Fact]
    public void Write_WithCacheWriteTokens_CacheWriteDetailAndAnthropicNamedCopiesLast()
    {
        var sut = Write(new UsageInfo(1506, 91, 1597) { CachedTokens = 1024, CacheWriteTokens = 10 });

        Assert.Equal(
            """{"prompt_tokens":1506,"completion_tokens":91,"total_tokens":1597,"prompt_tokens_details":{"cached_tokens":1024,"cache_write_tokens":10},"completion_tokens_details":{"reasoning_tokens":0},"cache_read_input_tokens":1024,"cache_creation_input_tokens":10}""",
            sut);
    }

    [Fact]
    public void Write_ZeroCacheWriteTokens_StillWritesTheCacheFields()
    {
        var sut = Write(new UsageInfo(1, 1, 2) { CacheWriteTokens = 0 });

        Assert.Contains("\"cache_write_tokens\":0", sut, StringComparison.Ordinal);
        Assert.EndsWith("\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}", sut, StringComparison.Ordinal);
    }
}
