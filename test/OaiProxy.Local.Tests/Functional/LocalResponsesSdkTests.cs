// The Responses client is experimental in the OpenAI 2.x SDK (OPENAI001); the package version is pinned, and a
// change of its API or wire is what this test is here to catch.
#pragma warning disable OPENAI001

using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI.Responses;

namespace OaiProxy.Local.Tests.Functional;

/// <summary>
/// The official OpenAI .NET SDK's Responses client in front of a local GGUF model: create, stream and a second turn
/// with <c>previous_response_id</c>, parsed by the SDK; what a local model cannot do (a tool) reaches the SDK as a
/// 400 it raises.
/// </summary>
public sealed class LocalResponsesSdkTests(SharedLocalProxy fixture) : IClassFixture<SharedLocalProxy>
{
    private const string Model = "tiny-bigram";

    private ResponsesClient Client() => new(new ApiKeyCredential(LocalProxy.ClientKey), new ResponsesClientOptions
    {
        Endpoint = fixture.Server.BaseUrl,
        RetryPolicy = new ClientRetryPolicy(0),
    });

    [Fact]
    public async Task CreateStreamAndPreviousResponseId_ParseInTheSdk()
    {
        var client = Client();

        var first = (await client.CreateResponseAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("X")]))).Value;

        Assert.Equal(ResponseStatus.Completed, first.Status);
        Assert.Equal("UVWXYZ.", first.GetOutputText());
        Assert.Equal(8, first.Usage.OutputTokenCount);

        var options = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("X")]) { PreviousResponseId = first.Id, StreamingEnabled = true };
        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await client.CreateResponseStreamingAsync(options)) updates.Add(update);

        Assert.All(updates, u => Assert.True(u.GetType().IsPublic, $"The SDK did not recognise update {u.SequenceNumber} ({u.GetType().Name})."));
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        var second = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;
        Assert.Equal(first.Id, second.PreviousResponseId);
        Assert.Equal(string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta)), second.GetOutputText());
        Assert.True(second.Usage.InputTokenCount > first.Usage.InputTokenCount, "The second prompt carries the first turn.");
    }

    [Fact]
    public async Task AToolTheModelCannotCall_IsA400TheSdkRaises()
    {
        var options = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("X")]);
        options.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{}}"""), strictModeEnabled: false));

        var e = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync(options));

        Assert.Equal(400, e.Status);
    }
}
