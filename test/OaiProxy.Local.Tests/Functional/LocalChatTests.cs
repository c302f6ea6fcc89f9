using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using OpenAI.Chat;

namespace OaiProxy.Local.Tests.Functional;

/// <summary>Local models through the real proxy, driven by the official OpenAI SDK.</summary>
public sealed class LocalChatTests(SharedLocalProxy fixture) : IClassFixture<SharedLocalProxy>
{
    // BOS, <|im_start|>, "user\n", "X", <|im_end|>, "\n", <|im_start|>, "assistant\n" (see GenerationTests).
    private const int PromptTokensForX = 21;

    private ChatClient Chat(string model) => LocalProxy.Chat(fixture.Server, model);

    [Fact]
    public async Task Complete_LocalModel_ExactTextStopAndUsage()
    {
        ChatCompletion completion = await Chat("tiny-bigram").CompleteChatAsync([new UserChatMessage("X")]);

        Assert.Equal("UVWXYZ.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.StartsWith("chatcmpl-local-", completion.Id, StringComparison.Ordinal);
        Assert.Equal("tiny-bigram", completion.Model);
        Assert.Equal(PromptTokensForX, completion.Usage.InputTokenCount);
        Assert.Equal(8, completion.Usage.OutputTokenCount); // seven characters and the end-of-generation token
        Assert.Equal(PromptTokensForX + 8, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Complete_MaxTokens_FinishLength()
    {
        ChatCompletion completion = await Chat("lower").CompleteChatAsync(
            [new UserChatMessage("X")], new ChatCompletionOptions { MaxOutputTokenCount = 5 });

        Assert.Equal("abcde", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Complete_ContextFull_FinishLength()
    {
        // "lower" never ends by itself: its 256-token context does.
        ChatCompletion completion = await Chat("lower").CompleteChatAsync([new UserChatMessage("X")]);

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(256 - PromptTokensForX, completion.Content[0].Text.Length);
        Assert.Equal(256, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Complete_StopSequence_CutsBeforeIt()
    {
        ChatCompletion completion = await Chat("lower").CompleteChatAsync(
            [new UserChatMessage("X")], new ChatCompletionOptions { StopSequences = { "ef", "zz" } });

        Assert.Equal("abcd", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task Complete_UserTypesControlToken_TreatedAsText()
    {
        ChatCompletion completion = await Chat("tiny-bigram").CompleteChatAsync([new UserChatMessage("<|im_end|>")]);

        // As a control token "<|im_end|>" would be 1 token and end the user turn early; as text it is 10 byte tokens.
        Assert.Equal("UVWXYZ.", completion.Content[0].Text);
        Assert.Equal(PromptTokensForX - 1 + 10, completion.Usage.InputTokenCount);
    }

    [Fact]
    public async Task Stream_LocalModel_DeltasConcatenateAndUsageArrives()
    {
        var deltas = new List<string>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        string? id = null;

        await foreach (var update in Chat("tiny-bigram").CompleteChatStreamingAsync([new UserChatMessage("X")]))
        {
            id ??= update.CompletionId;
            deltas.AddRange(update.ContentUpdate.Select(p => p.Text));
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(["U", "V", "W", "X", "Y", "Z", "."], deltas.Where(d => d.Length > 0));
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(PromptTokensForX, usage!.InputTokenCount);
        Assert.Equal(8, usage.OutputTokenCount);
        Assert.StartsWith("chatcmpl-local-", id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_StopSequenceAndMaxTokens_Honoured()
    {
        var text = "";
        ChatFinishReason? finish = null;
        var options = new ChatCompletionOptions { StopSequences = { "g" }, MaxOutputTokenCount = 50 };

        await foreach (var update in Chat("lower").CompleteChatStreamingAsync([new UserChatMessage("X")], options))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
            finish ??= update.FinishReason;
        }

        Assert.Equal("abcdef", text);
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task Stream_RawEvents_RoleFirstThenDeltasFinishUsageDone()
    {
        using var http = LocalProxy.Http(fixture.Server);

        using var response = await http.PostAsync("/v1/chat/completions", LocalProxy.Json(
            """{"model":"tiny-bigram","stream":true,"stream_options":{"include_usage":true},"max_tokens":2,"messages":[{"role":"user","content":"X"}]}"""));
        var events = (await response.Content.ReadAsStringAsync())
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e["data: ".Length..])
            .ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.Equal(5, chunks.Count); // role, "U", "V", finish, usage
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string?)c["object"]));
        Assert.Single(chunks.Select(c => (string?)c["id"]).Distinct());
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal("U", (string?)chunks[1]["choices"]![0]!["delta"]!["content"]);
        Assert.Equal("V", (string?)chunks[2]["choices"]![0]!["delta"]!["content"]);
        Assert.Equal("length", (string?)chunks[3]["choices"]![0]!["finish_reason"]);
        Assert.Empty(chunks[4]["choices"]!.AsArray());
        Assert.Equal(2, (int)chunks[4]["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_NoUsageChunk()
    {
        using var http = LocalProxy.Http(fixture.Server);

        using var response = await http.PostAsync("/v1/chat/completions", LocalProxy.Json(
            """{"model":"tiny-bigram","stream":true,"max_tokens":1,"messages":[{"role":"user","content":"X"}]}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("\"usage\"", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_Tools_400NamingTools()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object","properties":{}}"""));

        var e = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat("tiny-bigram").CompleteChatAsync([new UserChatMessage("X")], new ChatCompletionOptions { Tools = { tool } }));

        Assert.Equal(400, e.Status);
        var error = JsonNode.Parse(e.GetRawResponse()!.Content.ToString())!["error"]!;
        Assert.Equal("tools", (string?)error["param"]);
        Assert.Equal("unsupported_parameter", (string?)error["code"]);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Contains("'tools'", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_InvalidValue_400BeforeTheStreamStarts()
    {
        using var http = LocalProxy.Http(fixture.Server);

        using var response = await http.PostAsync("/v1/chat/completions", LocalProxy.Json(
            """{"model":"tiny-bigram","stream":true,"temperature":7,"messages":[{"role":"user","content":"X"}]}"""));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("temperature", (string?)error["param"]);
        Assert.Equal("invalid_request", (string?)error["code"]);
    }

    [Fact]
    public async Task Models_ExpandWildcards_ListsLocalModelNextToCloud()
    {
        var models = (await LocalProxy.Client(fixture.Server).GetOpenAIModelClient().GetModelsAsync()).Value;

        var ids = models.Select(m => m.Id).ToList();
        Assert.Contains("tiny-bigram", ids);
        Assert.Contains("gpt-4o", ids);
        Assert.Equal("upper", models.Single(m => m.Id == "tiny-bigram").OwnedBy);
    }

    [Fact]
    public async Task Complete_CloudConnection_StillServedNextToLocal()
    {
        ChatCompletion completion = await Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from gpt-4o!", completion.Content[0].Text);
    }
}
