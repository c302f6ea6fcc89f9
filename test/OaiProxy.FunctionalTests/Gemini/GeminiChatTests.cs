using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.Testing.Gemini;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Gemini;

public sealed class GeminiChatTests
{
    [Fact]
    public async Task Chat_PlainRequest_TranslatesBothWaysWithIdModelAndUsage()
    {
        await using var f = await GeminiFixture.StartAsync();

        ChatCompletion completion = await f.Chat().CompleteChatAsync(
            [new SystemChatMessage("Be terse."), new UserChatMessage("Hi")],
            new ChatCompletionOptions { Temperature = 0.5f, TopP = 0.9f, MaxOutputTokenCount = 100, StopSequences = { "END" } });

        Assert.Equal("Hello from gemini-2.5-flash!", completion.Content[0].Text);
        Assert.Equal("chatcmpl-resp-fake-1", completion.Id);
        Assert.Equal("gemini-2.5-flash", completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(9, completion.Usage.InputTokenCount);
        Assert.Equal(4, completion.Usage.OutputTokenCount);
        var sent = Assert.Single(f.Upstream.Requests);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", sent.Path);
        Assert.Equal(f.Upstream.ApiKey, sent.Headers["x-goog-api-key"]);
        Assert.False(sent.Headers.ContainsKey("authorization"));
        Assert.Equal("Be terse.", sent.Json["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        var config = sent.GenerationConfig!;
        Assert.Equal(0.5, config["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(100, config["maxOutputTokens"]!.GetValue<int>());
        Assert.Equal("END", config["stopSequences"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_NEqualsTwo_ReturnsTwoChoicesFromTwoCandidates()
    {
        await using var f = await GeminiFixture.StartAsync();
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", Json("""{"model":"gemini-2.5-flash","n":2,"messages":[{"role":"user","content":"Hi"}]}"""));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, json["choices"]!.AsArray().Count);
        Assert.Equal(1, json["choices"]![1]!["index"]!.GetValue<int>());
        Assert.Equal(2, Assert.Single(f.Upstream.Requests).CandidateCount);
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("BLOCKLIST", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("SPII", "content_filter")]
    [InlineData("MALFORMED_FUNCTION_CALL", "stop")]
    [InlineData("SOMETHING_NEW", "stop")]
    public async Task Chat_FinishReason_IsMapped(string gemini, string openAi)
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Response(GeminiWire.Response("partial", gemini));
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", Json("""{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}]}"""));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(openAi, json["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_FinishReasonsThroughSdk_AreTheSdkEnums()
    {
        await using var f = await GeminiFixture.StartAsync();
        var reasons = new Queue<string>(["MAX_TOKENS", "SAFETY"]);
        f.Upstream.Handler = _ => new GeminiReply.Response(GeminiWire.Response("x", reasons.Dequeue()));

        ChatCompletion length = await f.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);
        ChatCompletion filtered = await f.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal(ChatFinishReason.Length, length.FinishReason);
        Assert.Equal(ChatFinishReason.ContentFilter, filtered.FinishReason);
    }

    [Fact]
    public async Task Chat_BlockedPrompt_ReturnsEmptyChoiceWithContentFilter()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Response(GeminiWire.Blocked());

        ChatCompletion completion = await f.Chat().CompleteChatAsync([new UserChatMessage("Something bad")]);

        Assert.Equal(ChatFinishReason.ContentFilter, completion.FinishReason);
        Assert.Empty(completion.Content);
    }

    [Fact]
    public async Task Chat_JsonSchemaOutput_SendsConvertedResponseSchema()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Response(GeminiWire.Response("""{"city":"Paris","temp_c":21}"""));
        var schema = BinaryData.FromString("""
            {"type":"object","additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#",
             "properties":{"city":{"type":"string","format":"hostname"},"temp_c":{"type":["number","null"]},
                           "unit":{"const":"C"},"when":{"$ref":"#/$defs/time"}},
             "required":["city","temp_c","unit","when"],
             "$defs":{"time":{"type":"string","format":"date-time"}}}
            """);

        ChatCompletion completion = await f.Chat().CompleteChatAsync([new UserChatMessage("Weather?")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("weather", schema, jsonSchemaIsStrict: true) });

        Assert.Equal("""{"city":"Paris","temp_c":21}""", completion.Content[0].Text);
        var config = Assert.Single(f.Upstream.Requests).GenerationConfig!;
        Assert.Equal("application/json", config["responseMimeType"]!.GetValue<string>());
        Assert.Equal(
            """{"type":"object","properties":{"city":{"type":"string"},"temp_c":{"type":"number","nullable":true},"unit":{"enum":["C"],"type":"string"},"when":{"type":"string","format":"date-time"}},"required":["city","temp_c","unit","when"],"propertyOrdering":["city","temp_c","unit","when"]}""",
            config["responseSchema"]!.ToJsonString());
    }

    [Fact]
    public async Task Chat_JsonObjectOutput_SetsResponseMimeType()
    {
        await using var f = await GeminiFixture.StartAsync();

        await f.Chat().CompleteChatAsync([new UserChatMessage("JSON please")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal("application/json", Assert.Single(f.Upstream.Requests).GenerationConfig!["responseMimeType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_ImageDataUrl_IsSentInline()
    {
        await using var f = await GeminiFixture.StartAsync();

        await f.Chat().CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is this?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(LoopbackImages.Png), "image/png"))]);

        var parts = Assert.Single(f.Upstream.Requests).Contents[0]!["parts"]!.AsArray();
        Assert.Equal("What is this?", parts[0]!["text"]!.GetValue<string>());
        Assert.Equal("image/png", parts[1]!["inlineData"]!["mimeType"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(LoopbackImages.Png), parts[1]!["inlineData"]!["data"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_ImageUrlOnLoopback_IsFetchedWhenAllowed()
    {
        await using var f = await GeminiFixture.StartAsync("allow_private_image_urls = true\nallow_http_image_urls = true", images: true);

        await f.Chat().CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is this?"),
            ChatMessageContentPart.CreateImagePart(new Uri(f.Images!.Address, "/moved")))]);

        var inline = Assert.Single(f.Upstream.Requests).Contents[0]!["parts"]![1]!["inlineData"]!;
        Assert.Equal("image/png", inline["mimeType"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(LoopbackImages.Png), inline["data"]!.GetValue<string>());
        Assert.Equal(1, f.Images.Downloads);
    }

    [Fact]
    public async Task Chat_ImageUrlOnLoopback_IsRefusedByDefault()
    {
        await using var f = await GeminiFixture.StartAsync("allow_http_image_urls = true", images: true);

        var e = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => f.Chat().CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateImagePart(new Uri(f.Images!.Address, "/cat.png")))]));

        Assert.Equal(400, e.Status);
        Assert.Contains("loopback or private", e.Message, StringComparison.Ordinal);
        Assert.Empty(f.Upstream.Requests);
        Assert.Equal(0, f.Images!.Downloads);
    }

    [Fact]
    public async Task Chat_ImageLargerThanLimit_IsRefused()
    {
        await using var f = await GeminiFixture.StartAsync("allow_private_image_urls = true\nallow_http_image_urls = true\nmax_image_bytes = 4096", images: true);

        var e = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => f.Chat().CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateImagePart(new Uri(f.Images!.Address, "/big.png")))]));

        Assert.Equal(400, e.Status);
        Assert.Contains("larger than 4096 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_ExpandWildcards_ListsGenerateContentModelsAcrossPages()
    {
        await using var f = await GeminiFixture.StartAsync(rootExtra: "model_listing_mode = \"expand_wildcards\"");

        var ids = new List<string>();
        foreach (var model in (await new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential(GeminiFixture.ClientKey),
                     new OpenAI.OpenAIClientOptions { Endpoint = f.Proxy.BaseUrl }).GetOpenAIModelClient().GetModelsAsync()).Value)
        {
            ids.Add(model.Id);
        }

        Assert.Contains("gemini-2.5-flash", ids);
        Assert.Contains("gemini-2.5-pro", ids);
        Assert.Contains("gemini-3-pro-preview", ids);
        Assert.DoesNotContain("gemini-embedding-001", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("models/", StringComparison.Ordinal));
    }

    internal static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
