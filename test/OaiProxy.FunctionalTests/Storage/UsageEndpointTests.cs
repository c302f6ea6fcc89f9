// The Responses client is experimental in the OpenAI 2.x SDK (OPENAI001).
#pragma warning disable OPENAI001

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using OaiProxy.FunctionalTests.ApiSurface;
using OaiProxy.Testing.Anthropic;
using OaiProxy.Testing.OpenAi;
using OpenAI.Responses;
using SdkResponsesClient = OpenAI.Responses.ResponsesClient;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>
/// Real requests through the proxy, each with its API's official SDK: chat completions, the Responses API passed
/// through and translated to chat, Anthropic's messages and count_tokens. Each usage record names the endpoint the
/// request came through, whatever the upstream wire, and the admin API groups and filters by it.
/// </summary>
public sealed class UsageEndpointTests
{
    private static readonly Dictionary<string, JsonElement> NoParams = [];

    [Fact]
    public async Task Requests_ThroughEachApi_AreRecordedUnderTheirEndpoint()
    {
        await using var openAi = await FakeOpenAiServer.StartAsync();
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        await using var sut = await StorageProxy.StartWithConfigAsync($$"""
            master_key = "{{StorageProxy.MasterKey}}"

            [connections.openai]
            api_type = "open_ai"
            api_base = "{{openAi.ApiBase}}"
            api_key = "{{openAi.ApiKey}}"
            max_retries = 0

            [connections.chatonly]
            api_type = "open_ai"
            api_base = "{{openAi.ApiBase}}"
            api_key = "{{openAi.ApiKey}}"
            max_retries = 0
            responses_api = false

            [connections.claude]
            api_type = "anthropic"
            api_base = "{{anthropic.ApiBase}}"
            api_key = "{{anthropic.ApiKey}}"
            max_retries = 0

            [routing]
            "via-chat" = "chatonly.gpt-4o-mini"
            "gpt*" = "openai.*"
            "claude*" = "claude.*"

            [groups.default]
            api_keys = ["{{ProxyFixture.ClientKey}}"]
            """);

        var chat = sut.Chat("gpt-4o", ProxyFixture.ClientKey);
        await chat.CompleteChatAsync("Hello");
        await foreach (var _ in chat.CompleteChatStreamingAsync("Hello again"))
        {
        }
        var responses = new SdkResponsesClient(new ApiKeyCredential(ProxyFixture.ClientKey),
            new ResponsesClientOptions { Endpoint = sut.Proxy.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) });
        var passedThrough = (await responses.CreateResponseAsync(new CreateResponseOptions("gpt-4o", [ResponseItem.CreateUserMessageItem("Say hello.")]))).Value;
        var translated = (await responses.CreateResponseAsync(new CreateResponseOptions("via-chat", [ResponseItem.CreateUserMessageItem("Say hello.")]))).Value;
        Assert.Equal(ResponseStatus.Completed, passedThrough.Status);
        Assert.Equal(ResponseStatus.Completed, translated.Status);
        var claude = new AnthropicClient { ApiKey = ProxyFixture.ClientKey, BaseUrl = sut.Proxy.Address.ToString().TrimEnd('/'), MaxRetries = 0 };
        var hello = new JsonObject
        {
            ["model"] = "claude-sonnet-4-5", ["max_tokens"] = 256, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello" }),
        };
        var message = await claude.Messages.Create(MessageCreateParams.FromRawUnchecked(NoParams, NoParams, MessagesFixture.Raw(hello)));
        Assert.True(message.Usage.OutputTokens > 0);
        hello.Remove("max_tokens");
        var counted = await claude.Messages.CountTokens(MessageCountTokensParams.FromRawUnchecked(NoParams, NoParams, MessagesFixture.Raw(hello)));
        Assert.True(counted.InputTokens > 0);

        // The Responses requests reached the upstream on both wires: one passed through, one translated to chat.
        Assert.Equal(1, openAi.Requests.Count(r => r.Path == "/v1/responses"));
        Assert.Equal(3, openAi.Requests.Count(r => r.Path == "/v1/chat/completions"));
        await sut.Storage.Usage.Committed.WaitForAsync(6, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var byEndpoint = await sut.AdminAsync(HttpMethod.Get, "/admin/usage?group_by=endpoint");
        Assert.Equal(new Dictionary<string, long>
        {
            ["chat.completions"] = 2,
            ["messages"] = 1,
            ["messages.count_tokens"] = 1,
            ["responses"] = 2,
        }, Rows(byEndpoint).ToDictionary(r => r["endpoint"]!.GetValue<string>(), r => r["requests"]!.GetValue<long>()));
        Assert.All(Rows(byEndpoint).Where(r => r["endpoint"]!.GetValue<string>() != "messages.count_tokens"),
            r => Assert.True(r["prompt_tokens"]!.GetValue<long>() > 0 && r["completion_tokens"]!.GetValue<long>() > 0, r.ToJsonString()));
        var responsesByConnection = await sut.AdminAsync(HttpMethod.Get, "/admin/usage?group_by=connection&endpoint=responses");
        Assert.Equal(new Dictionary<string, long> { ["chatonly"] = 1, ["openai"] = 1 },
            Rows(responsesByConnection).ToDictionary(r => r["connection"]!.GetValue<string>(), r => r["requests"]!.GetValue<long>()));
        var messagesByModel = Assert.Single(Rows(await sut.AdminAsync(HttpMethod.Get, "/admin/usage?group_by=model&endpoint=messages")));
        Assert.Equal(("claude-sonnet-4-5", message.Usage.InputTokens, message.Usage.OutputTokens),
            (messagesByModel["model"]!.GetValue<string>(), messagesByModel["prompt_tokens"]!.GetValue<long>(), messagesByModel["completion_tokens"]!.GetValue<long>()));
    }

    private static List<JsonNode> Rows(JsonObject answer) => [.. answer["data"]!.AsArray().Select(r => r!)];
}
