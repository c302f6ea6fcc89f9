using OaiProxy.Dialects.Responses;
using OaiProxy.Storage.Responses;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>The database response store on real SQLite and real PostgreSQL, time on a fake clock.</summary>
[Collection("postgres")]
public sealed class ResponseStoreTests(PostgresFixture postgres)
{
    private const string Owner = "key:a";
    private const string Other = "key:b";

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task SaveThenFind_EveryFieldRoundTrips(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        var saved = new StoredResponse
        {
            Id = "resp_1", Owner = Owner, PreviousResponseId = "resp_0",
            CreatedAt = ResponseStoreHarness.Start.AddMilliseconds(123), ExpiresAt = ResponseStoreHarness.Start.AddDays(30).AddMilliseconds(456),
            Response = """{"id":"resp_1","output_text":"héllo ✓ \"quoted\""}""",
            Input = [new StoredItem("msg_u1", """{"role":"user","content":"hi"}"""), new StoredItem("msg_u2", """{"role":"user","content":"again"}""")],
            Output = [new StoredItem("rs_1", """{"type":"reasoning"}"""), new StoredItem("msg_a1", """{"role":"assistant"}""")],
        };
        await h.Store.SaveAsync(saved, h.Cancel);

        var found = await h.Store.FindAsync("resp_1", Owner, h.Cancel);

        Assert.NotNull(found);
        Assert.Equal((saved.Id, saved.Owner, saved.PreviousResponseId, saved.CreatedAt, saved.ExpiresAt, saved.Response),
            (found.Id, found.Owner, found.PreviousResponseId, found.CreatedAt, found.ExpiresAt, found.Response));
        Assert.Equal(saved.Input, found.Input);
        Assert.Equal(saved.Output, found.Output);
        Assert.Equal([.. saved.Input, .. saved.Output], await h.Store.FindConversationAsync("resp_1", Owner, h.Cancel));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Save_NoItems_FoundWithEmptyLists(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_empty", inputs: 0, outputs: 0), h.Cancel);

        var found = await h.Store.FindAsync("resp_empty", Owner, h.Cancel);

        Assert.NotNull(found);
        Assert.Empty(found.Input);
        Assert.Empty(found.Output);
        Assert.Empty((await h.Store.FindConversationAsync("resp_empty", Owner, h.Cancel))!);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task AnotherOwner_FindsNothing_AndCannotDelete(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_1"), h.Cancel);

        Assert.Null(await h.Store.FindAsync("resp_1", Other, h.Cancel));
        Assert.Null(await h.Store.FindConversationAsync("resp_1", Other, h.Cancel));
        Assert.Empty(await h.Store.FindItemsAsync(["resp_1_in0", "resp_1_out0"], Other, h.Cancel));
        Assert.False(await h.Store.DeleteAsync("resp_1", Other, h.Cancel));

        Assert.NotNull(await h.Store.FindAsync("resp_1", Owner, h.Cancel));
        Assert.Equal(2, (await h.Store.FindItemsAsync(["resp_1_in0", "resp_1_out0"], Owner, h.Cancel)).Count);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Conversation_PredecessorOfAnotherOwner_IsNotFollowed(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_1"), h.Cancel);
        await h.Store.SaveAsync(h.Response("resp_2", previous: "resp_1", owner: Other), h.Cancel);

        Assert.Equal(Chain(("resp_2", 1, 1)), await h.Store.FindConversationAsync("resp_2", Other, h.Cancel));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Save_SameIdByAnotherOwner_IsRefusedAndTheFirstKept(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_1"), h.Cancel);

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Store.SaveAsync(h.Response("resp_1", owner: Other, inputs: 5), h.Cancel));

        Assert.Single((await h.Store.FindAsync("resp_1", Owner, h.Cancel))!.Input);
        Assert.Null(await h.Store.FindAsync("resp_1", Other, h.Cancel));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Conversation_ThreeResponses_OldestFirstInputBeforeOutputInPositionOrder(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_a", inputs: 2, outputs: 2), h.Cancel);
        await h.Store.SaveAsync(h.Response("resp_b", previous: "resp_a", inputs: 1, outputs: 3), h.Cancel);
        await h.Store.SaveAsync(h.Response("resp_c", previous: "resp_b", inputs: 12, outputs: 1), h.Cancel);

        var conversation = await h.Store.FindConversationAsync("resp_c", Owner, h.Cancel);

        Assert.Equal(Chain(("resp_a", 2, 2), ("resp_b", 1, 3), ("resp_c", 12, 1)), conversation);
        Assert.Equal(Chain(("resp_a", 2, 2), ("resp_b", 1, 3)), await h.Store.FindConversationAsync("resp_b", Owner, h.Cancel));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Conversation_DeletedMiddleResponse_StopsAtTheGap(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_a"), h.Cancel);
        await h.Store.SaveAsync(h.Response("resp_b", previous: "resp_a"), h.Cancel);
        await h.Store.SaveAsync(h.Response("resp_c", previous: "resp_b"), h.Cancel);

        Assert.True(await h.Store.DeleteAsync("resp_b", Owner, h.Cancel));

        Assert.Equal(Chain(("resp_c", 1, 1)), await h.Store.FindConversationAsync("resp_c", Owner, h.Cancel));
        Assert.Equal(Chain(("resp_a", 1, 1)), await h.Store.FindConversationAsync("resp_a", Owner, h.Cancel));
        Assert.Null(await h.Store.FindAsync("resp_b", Owner, h.Cancel));
        Assert.Empty(await h.Store.FindItemsAsync(["resp_b_in0", "resp_b_out0"], Owner, h.Cancel));
        Assert.Equal(0, await h.CountAsync("response_items", "response_id = 'resp_b'"));
        Assert.False(await h.Store.DeleteAsync("resp_b", Owner, h.Cancel));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Expiry_OnFakeClock_HidesRows_AndTheSweepRemovesThem(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_old", keep: TimeSpan.FromHours(1)), h.Cancel);
        await h.Store.SaveAsync(h.Response("resp_new", previous: "resp_old", keep: TimeSpan.FromHours(2)), h.Cancel);
        Assert.Equal(4, (await h.Store.FindConversationAsync("resp_new", Owner, h.Cancel))!.Count);

        h.Time.Advance(TimeSpan.FromHours(1)); // expires_at <= now: expired

        Assert.Null(await h.Store.FindAsync("resp_old", Owner, h.Cancel));
        Assert.Null(await h.Store.FindConversationAsync("resp_old", Owner, h.Cancel));
        Assert.Equal(Chain(("resp_new", 1, 1)), await h.Store.FindConversationAsync("resp_new", Owner, h.Cancel));
        Assert.Equal(["resp_new_in0"], (await h.Store.FindItemsAsync(["resp_old_in0", "resp_new_in0"], Owner, h.Cancel)).Keys);
        Assert.False(await h.Store.DeleteAsync("resp_old", Owner, h.Cancel));
        Assert.Equal(2, await h.CountAsync("responses")); // hidden, not yet removed

        using var stop = new CancellationTokenSource();
        var loop = h.Sweep.RunAsync(stop.Token);
        h.Time.Advance(ResponseSweep.Interval);
        await h.Sweep.Sweeps.WaitForAsync(1, h.Cancel).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, await h.CountAsync("responses"));
        Assert.Equal(0, await h.CountAsync("response_items", "response_id = 'resp_old'"));
        Assert.Equal(2, await h.CountAsync("response_items", "response_id = 'resp_new'"));
        Assert.NotNull(await h.Store.FindAsync("resp_new", Owner, h.Cancel));

        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10)); // stops promptly on shutdown
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Sweep_MoreThanOneBatch_RemovesEveryExpiredResponse_KeepsLiveOnes(string database)
    {
        var expired = ResponseSweep.BatchSize * 2 + 17;
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        for (var i = 0; i < expired; i++) await h.Store.SaveAsync(h.Response($"resp_x{i}", keep: TimeSpan.FromMinutes(1)), h.Cancel);
        await h.Store.SaveAsync(h.Response("resp_live", keep: TimeSpan.FromDays(1)), h.Cancel);
        h.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(expired, await h.Sweep.SweepAsync(h.Cancel));

        Assert.Equal(1, await h.CountAsync("responses"));
        Assert.Equal(2, await h.CountAsync("response_items"));
        Assert.Equal(0, await h.Sweep.SweepAsync(h.Cancel));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Save_SameIdTwice_ReplacesTheResponseAndItsItems(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_1", inputs: 3, outputs: 2), h.Cancel);
        var retry = h.Response("resp_1", inputs: 1, outputs: 1) with
        {
            Response = """{"id":"resp_1","status":"completed","retry":true}""",
            Output = [new StoredItem("msg_retry", """{"role":"assistant","content":"second"}""")],
        };

        await h.Store.SaveAsync(retry, h.Cancel);

        var found = await h.Store.FindAsync("resp_1", Owner, h.Cancel);
        Assert.Equal(retry.Response, found!.Response);
        Assert.Equal(retry.Input, found.Input);
        Assert.Equal(retry.Output, found.Output);
        Assert.Equal(1, await h.CountAsync("responses"));
        Assert.Equal(2, await h.CountAsync("response_items"));
        Assert.Empty(await h.Store.FindItemsAsync(["resp_1_in2", "resp_1_out0"], Owner, h.Cancel));
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Save_ThousandItems_AllFoundInOrder(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        var big = h.Response("resp_big", inputs: 600, outputs: 400);

        await h.Store.SaveAsync(big, h.Cancel);

        var found = await h.Store.FindAsync("resp_big", Owner, h.Cancel);
        Assert.Equal(big.Input, found!.Input);
        Assert.Equal(big.Output, found.Output);
        var ids = big.Input.Concat(big.Output).Select(i => i.Id).Append("missing").ToList();
        var items = await h.Store.FindItemsAsync(ids, Owner, h.Cancel); // more ids than one query takes
        Assert.Equal(1_000, items.Count);
        Assert.Equal(big.Output[399], items["resp_big_out399"]);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Conversation_TwoHundredResponsesDeep_InOneCall(string database)
    {
        const int depth = 200;
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        for (var i = 0; i < depth; i++) await h.Store.SaveAsync(h.Response($"resp_{i}", previous: i == 0 ? null : $"resp_{i - 1}"), h.Cancel);

        var conversation = await h.Store.FindConversationAsync($"resp_{depth - 1}", Owner, h.Cancel);

        Assert.Equal(Chain(Enumerable.Range(0, depth).Select(i => ($"resp_{i}", 1, 1)).ToArray()), conversation);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Conversation_CorruptCycle_StopsAtTheBound(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_a", previous: "resp_b", outputs: 0), h.Cancel);
        await h.Store.SaveAsync(h.Response("resp_b", previous: "resp_a", outputs: 0), h.Cancel);

        var conversation = await h.Store.FindConversationAsync("resp_a", Owner, h.Cancel);

        Assert.Equal(DatabaseResponseStore.MaxChain, conversation!.Count);
    }

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task FindItems_IdInSeveralResponses_GivesTheNewestCopy(string database)
    {
        await using var h = await ResponseStoreHarness.OpenAsync(database, postgres);
        await h.Store.SaveAsync(h.Response("resp_1") with { Input = [new StoredItem("msg_x", """{"v":1}""")] }, h.Cancel);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Store.SaveAsync(h.Response("resp_2") with { Input = [new StoredItem("msg_x", """{"v":2}""")] }, h.Cancel);

        var items = await h.Store.FindItemsAsync(["msg_x", "msg_x"], Owner, h.Cancel);

        Assert.Equal("""{"v":2}""", Assert.Single(items).Value.Json);
    }

    /// <summary>The conversation of responses made by <see cref="ResponseStoreHarness.Response"/>, oldest first.</summary>
    private static List<StoredItem> Chain(params (string Id, int Inputs, int Outputs)[] responses) =>
        responses.SelectMany(r => ResponseStoreHarness.Items(r.Id, "in", r.Inputs).Concat(ResponseStoreHarness.Items(r.Id, "out", r.Outputs))).ToList();
}
