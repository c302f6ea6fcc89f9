using System.Buffers;
using System.Text;
using OaiProxy.Configuration;
using OaiProxy.Logging;
using OaiProxy.Storage.Usage;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>A usage record's endpoint: taken from the log entry's operation, only from the fixed set, and kept by the spool.</summary>
public sealed class UsageRecordEndpointTests
{
    public static TheoryData<string> Operations() => [.. OperationNames.All];

    [Theory]
    [MemberData(nameof(Operations))]
    public void From_EveryOperation_RecordsItsName_AndTheSpoolLineKeepsIt(string operation)
    {
        var sut = UsageRecord.From(new RequestLogEntry { Id = "req-1", Operation = operation, Status = 200 }, PriceTable.BuiltIn);

        Assert.Equal(operation, sut.Endpoint);
        Assert.Equal(sut, UsageRecordJson.TryRead(Line(sut)));
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("Responses")]
    [InlineData("responses' OR '1'='1")]
    public void From_AnOperationOutsideTheFixedSet_RecordsNoEndpoint(string operation)
    {
        var sut = UsageRecord.From(new RequestLogEntry { Id = "req-1", Operation = operation, Status = 200 }, PriceTable.BuiltIn);

        Assert.Null(sut.Endpoint);
    }

    [Fact]
    public void TryRead_ALineSpooledBeforeTheColumnOrWithAnUnknownName_ReadsWithoutEndpoint()
    {
        // Exactly what the writer spooled before usage records had an endpoint (a spool left by the previous version).
        const string old = """
            {"id":"req-old","created_at":5,"key_id":"k","key_group":"default","connection":"openai","model":"gpt-4o","upstream_model":"gpt-4o","status":200,"prompt_tokens":1,"completion_tokens":2,"cached_tokens":0,"reasoning_tokens":0,"cost_nanos":3,"latency_ms":4,"stream":false,"client_aborted":false}
            """;

        var record = UsageRecordJson.TryRead(old);

        Assert.NotNull(record);
        Assert.Equal(("req-old", "gpt-4o", 1L, 2L, 4L), (record.Id, record.Model, record.PromptTokens, record.CompletionTokens, record.LatencyMs));
        Assert.Null(record.Endpoint);
        Assert.Null(UsageRecordJson.TryRead(old.Replace("\"status\"", "\"endpoint\":\"free text\",\"status\"", StringComparison.Ordinal))!.Endpoint);
    }

    private static string Line(UsageRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        UsageRecordJson.Write(buffer, record);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
