// The Responses client is experimental in the OpenAI 2.x SDK (OPENAI001); these tests pin the package version, and a
// change of its API or wire is exactly what they are here to catch.
#pragma warning disable OPENAI001

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using OaiProxy.Testing.Scenarios;
using OpenAI.Responses;
using SdkResponsesClient = OpenAI.Responses.ResponsesClient;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>
/// The official OpenAI .NET SDK's <see cref="SdkResponsesClient"/> through the proxy's <c>/v1/responses</c>, in
/// front of each kind of upstream (<see cref="ScenarioUpstream"/> answers the scenario turns on each wire),
/// streaming and not: the SDK must parse every answer, and the raw JSON and event streams it read are checked by the
/// validators.
/// </summary>
public sealed class ResponsesDotnetSdkTests
{
    private const string Model = "gpt-4o";

    /// <summary>Every upstream kind, each streamed and not.</summary>
    public static TheoryData<ResponsesUpstreamKind, bool> KindsAndModes()
    {
        var data = new TheoryData<ResponsesUpstreamKind, bool>();
        foreach (var kind in Enum.GetValues<ResponsesUpstreamKind>())
        {
            data.Add(kind, false);
            data.Add(kind, true);
        }
        return data;
    }

    public static TheoryData<ResponsesUpstreamKind> Kinds() => [.. Enum.GetValues<ResponsesUpstreamKind>()];

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task CreateResponse_Text_IsParsedWithUsage_AndStored(ResponsesUpstreamKind kind, bool stream)
    {
        await using var sut = await Session.StartAsync(kind);
        var options = Ask("Say hello.");
        options.Instructions = "Answer briefly.";
        options.MaxOutputTokenCount = 100;

        var response = await sut.CreateAsync(options, stream);

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.StartsWith("Hello from", response.GetOutputText(), StringComparison.Ordinal);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal(MessageRole.Assistant, message.Role);
        Assert.True(response.Usage.InputTokenCount > 0 && response.Usage.OutputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        Assert.Equal(Model, response.Model);
        Assert.Equal(100, response.MaxOutputTokenCount);
        Assert.True(response.CreatedAt > DateTimeOffset.UnixEpoch);
        var stored = (await sut.Client.GetResponseAsync(response.Id)).Value;
        Assert.Equal(response.Id, stored.Id);
        Assert.Equal(response.GetOutputText(), stored.GetOutputText());
        await sut.Recorder.AssertValidAnswersAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateResponseStreaming_EveryUpdateIsKnown_DeltasMakeTheFinalText(ResponsesUpstreamKind kind)
    {
        await using var sut = await Session.StartAsync(kind);

        var updates = await sut.StreamAsync(Ask("Count from 1 to 3."));

        Assert.Equal(ResponseStatus.InProgress, Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]).Response.Status);
        Assert.Equal(ResponseStatus.InProgress, Assert.IsType<StreamingResponseInProgressUpdate>(updates[1]).Response.Status);
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal(((StreamingResponseCreatedUpdate)updates[0]).Response.Id, completed.Id);
        Assert.True(completed.Usage.OutputTokenCount > 0);
        var deltas = updates.OfType<StreamingResponseOutputTextDeltaUpdate>().ToList();
        Assert.NotEmpty(deltas);
        Assert.Equal(completed.GetOutputText(), string.Concat(deltas.Select(d => d.Delta)));
        Assert.Equal(completed.GetOutputText(), Assert.Single(updates.OfType<StreamingResponseOutputTextDoneUpdate>()).Text);
        var item = Assert.Single(updates.OfType<StreamingResponseOutputItemDoneUpdate>()).Item;
        Assert.Equal(item.Id, Assert.Single(completed.OutputItems).Id);
        Assert.All(deltas, d => Assert.Equal(item.Id, d.ItemId));
        Assert.True(Assert.Single(sut.Recorder.Exchanges).EventStream);
        await sut.Recorder.AssertValidAnswersAsync();
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task FunctionCall_SecondTurnWithPreviousResponseId_AnswersFromTheToolOutput(ResponsesUpstreamKind kind, bool stream)
    {
        await using var sut = await Session.StartAsync(kind);
        var tool = WeatherTool();

        var first = await sut.CreateAsync(AskForTheWeather(tool), stream);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal(Scenario.WeatherArguments, call.FunctionArguments.ToString());
        Assert.Equal(FunctionCallStatus.Completed, call.Status);
        var city = JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.ToString();
        var answer = new CreateResponseOptions(Model, [ResponseItem.CreateFunctionCallOutputItem(call.CallId, $$"""{"city":"{{city}}","forecast":"sunny","celsius":21}""")])
        {
            PreviousResponseId = first.Id,
            Tools = { tool },
        };
        var second = await sut.CreateAsync(answer, stream);

        Assert.Equal(ResponseStatus.Completed, second.Status);
        Assert.Equal(Scenario.WeatherAnswer, second.GetOutputText());
        Assert.Equal(first.Id, second.PreviousResponseId);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, sut.Upstream.Requests.Count);
        await sut.Recorder.AssertValidAnswersAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task FunctionCallStreaming_ArgumentDeltasMakeTheCall(ResponsesUpstreamKind kind)
    {
        await using var sut = await Session.StartAsync(kind);

        var updates = await sut.StreamAsync(AskForTheWeather(WeatherTool()));

        var added = Assert.IsType<FunctionCallResponseItem>(Assert.Single(updates.OfType<StreamingResponseOutputItemAddedUpdate>()).Item);
        Assert.Equal(FunctionCallStatus.InProgress, added.Status);
        Assert.Equal("get_weather", added.FunctionName);
        var deltas = updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().ToList();
        var done = Assert.Single(updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>());
        Assert.Equal(Scenario.WeatherArguments, string.Concat(deltas.Select(d => d.Delta.ToString())));
        Assert.Equal(Scenario.WeatherArguments, done.FunctionArguments.ToString());
        Assert.Equal("get_weather", done.FunctionName);
        Assert.All(deltas, d => Assert.Equal(added.Id, d.ItemId));
        Assert.Equal(added.Id, done.ItemId);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(updates.OfType<StreamingResponseOutputItemDoneUpdate>()).Item);
        Assert.Equal(FunctionCallStatus.Completed, call.Status);
        Assert.Equal(added.CallId, call.CallId);
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;
        Assert.Equal(call.CallId, Assert.IsType<FunctionCallResponseItem>(Assert.Single(completed.OutputItems)).CallId);
        await sut.Recorder.AssertValidAnswersAsync();
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task InputImage_DataUrl_ReachesTheUpstreamInItsOwnForm(ResponsesUpstreamKind kind, bool stream)
    {
        await using var sut = await Session.StartAsync(kind);
        var png = BinaryData.FromBytes(Convert.FromBase64String(Scenario.RedPixelPng), "image/png");
        var parts = new[] { ResponseContentPart.CreateInputTextPart("What is in this image?"), ResponseContentPart.CreateInputImagePart(png, ResponseImageDetailLevel.Low) };

        var response = await sut.CreateAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem(parts)]), stream);

        Assert.Equal(Scenario.ImageAnswer, response.GetOutputText());
        sut.Upstream.AssertImageReached(Scenario.RedPixelDataUrl, "low");
        await sut.Recorder.AssertValidAnswersAsync();
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task JsonSchemaOutput_Strict_ReachesTheUpstream_AndTheAnswerParses(ResponsesUpstreamKind kind, bool stream)
    {
        await using var sut = await Session.StartAsync(kind);
        var options = Ask("Report the weather in Paris.");
        options.TextOptions = new ResponseTextOptions
        {
            TextFormat = ResponseTextFormat.CreateJsonSchemaFormat(Scenario.WeatherReportName, BinaryData.FromString(Scenario.WeatherReportSchema), jsonSchemaIsStrict: true),
        };

        var response = await sut.CreateAsync(options, stream);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Scenario.WeatherReport), JsonNode.Parse(response.GetOutputText())), response.GetOutputText());
        Assert.Equal(ResponseTextFormatKind.JsonSchema, response.TextOptions.TextFormat.Kind);
        sut.Upstream.AssertSchemaReached(Scenario.WeatherReportName, JsonNode.Parse(Scenario.WeatherReportSchema)!, strict: true);
        await sut.Recorder.AssertValidAnswersAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task StoredResponse_InputItemsPageInOrder_ThenDeleteForgetsIt(ResponsesUpstreamKind kind)
    {
        await using var sut = await Session.StartAsync(kind);
        var options = new CreateResponseOptions(Model, [ResponseItem.CreateDeveloperMessageItem("Use English."), ResponseItem.CreateUserMessageItem("Hi"), ResponseItem.CreateUserMessageItem("Say hello.")]);
        var response = await sut.CreateAsync(options, stream: false);

        var items = new List<ResponseItem>();
        await foreach (var item in sut.Client.GetResponseInputItemsAsync(new ResponseItemCollectionOptions(response.Id) { PageSizeLimit = 2, Order = ResponseItemCollectionOrder.Ascending })) items.Add(item);
        var deleted = (await sut.Client.DeleteResponseAsync(response.Id)).Value;
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => sut.Client.GetResponseAsync(response.Id));

        Assert.Equal(["Use English.", "Hi", "Say hello."], items.Select(i => Assert.IsAssignableFrom<MessageResponseItem>(i).Content.Single().Text));
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.Id)));
        Assert.True(deleted.Deleted);
        Assert.Equal(response.Id, deleted.ResponseId);
        Assert.Equal(404, gone.Status);
        await sut.Recorder.AssertValidAnswersAsync();
    }

    private static FunctionTool WeatherTool() => ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""
        {"type":"object","properties":{"city":{"type":"string","description":"The city name."}},"required":["city"],"additionalProperties":false}
        """), strictModeEnabled: true, "Get the current weather for a city.");

    /// <summary>The first turn of the weather scenario: the call is forced, so every wire answers it with a call.</summary>
    private static CreateResponseOptions AskForTheWeather(FunctionTool tool)
    {
        var options = Ask("What is the weather in Paris?");
        options.Tools.Add(tool);
        options.ToolChoice = ResponseToolChoice.CreateFunctionChoice(tool.FunctionName);
        return options;
    }

    private static CreateResponseOptions Ask(string text) => new(Model, [ResponseItem.CreateUserMessageItem(text)]);

    /// <summary>A scenario upstream behind the proxy, and the SDK client in front of it over a <see cref="RecordingHandler"/>.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private Session(ScenarioUpstream upstream)
        {
            Upstream = upstream;
            Client = new SdkResponsesClient(new ApiKeyCredential(ProxyFixture.ClientKey), new ResponsesClientOptions
            {
                Endpoint = upstream.Proxy.BaseUrl,
                RetryPolicy = new ClientRetryPolicy(0),
                Transport = new HttpClientPipelineTransport(new HttpClient(Recorder, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(60) }),
            });
        }

        public ScenarioUpstream Upstream { get; }

        public RecordingHandler Recorder { get; } = new();

        public SdkResponsesClient Client { get; }

        public static async Task<Session> StartAsync(ResponsesUpstreamKind kind) => new(await ScenarioUpstream.StartAsync(kind));

        /// <summary>The response, from <c>CreateResponseAsync</c> or, streamed, from the completed update.</summary>
        public async Task<ResponseResult> CreateAsync(CreateResponseOptions options, bool stream)
        {
            if (!stream) return (await Client.CreateResponseAsync(options)).Value;
            var updates = await StreamAsync(options);
            return Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;
        }

        /// <summary>
        /// Every update of a streamed response, each of a public update type (the SDK reads an event it does not
        /// know into an internal one), numbered from 0 in order.
        /// </summary>
        public async Task<List<StreamingResponseUpdate>> StreamAsync(CreateResponseOptions options)
        {
            // The options overload streams only when told twice: it throws unless StreamingEnabled is set as well.
            options.StreamingEnabled = true;
            var updates = new List<StreamingResponseUpdate>();
            await foreach (var update in await Client.CreateResponseStreamingAsync(options)) updates.Add(update);
            Assert.All(updates, u => Assert.True(u.GetType().IsPublic, $"The SDK did not recognise update {u.SequenceNumber} ({u.GetType().Name})."));
            Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
            return updates;
        }

        public async ValueTask DisposeAsync()
        {
            Recorder.Dispose();
            await Upstream.DisposeAsync();
        }
    }
}
