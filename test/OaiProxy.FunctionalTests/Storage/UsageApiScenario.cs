using System.Globalization;
using System.Text.Json.Nodes;
using OaiProxy.Storage.Usage;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>
/// Every parameter of <c>GET /admin/usage</c> and the key list's usage, on records written straight to the
/// database at fixed times (requests made now cannot span hours and days). Run on SQLite and on PostgreSQL.
/// </summary>
internal static class UsageApiScenario
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2024-05-01T10:00:00Z", CultureInfo.InvariantCulture);
    private const string Range = "from=2024-05-01&to=2024-05-03";

    private static UsageRecord Record(string id, DateTimeOffset at, string key, string group, string connection, string model, string? endpoint, int status,
        long prompt, long completion, long costNanos, long? latency, long? ttft = null) => new()
    {
        Id = id, CreatedAt = at.ToUnixTimeMilliseconds(), KeyId = key, Group = group, Connection = connection, Model = model, UpstreamModel = model,
        Endpoint = endpoint, Status = status, PromptTokens = prompt, CompletionTokens = completion, CostNanos = costNanos, LatencyMs = latency, TtftMs = ttft,
    };

    public static async Task RunAsync(StorageProxy sut)
    {
        var a = (await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"a"}""", 201))["id"]!.GetValue<string>();
        var b = (await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"b","budget":{"amount":10,"period":"monthly"}}""", 201))["id"]!.GetValue<string>();
        var now = DateTimeOffset.UtcNow;
        await UsageTable.InsertAsync(sut.Storage.Keys!.Database,
        [
            Record("r1", T0.AddMinutes(15), a, "default", "openai", "gpt-4o-mini", "chat.completions", 200, 100, 50, 1_500_000_000, 100, 40),
            Record("r2", T0.AddMinutes(45), a, "default", "openai", "gpt-4o-mini", "responses", 200, 200, 100, 500_000_000, 300),
            Record("r3", T0.AddMinutes(90), b, "team", "anthropic", "claude", "messages", 500, 10, 0, 0, 50),
            Record("r4", T0.AddDays(1), b, "team", "anthropic", "claude", "messages", 200, 1000, 500, 2_000_000_000, 1000, 200),
            Record("r5", T0.AddDays(1).AddMinutes(30), "cfg0hash", "default", "openai", "gpt-4o", null, 200, 5, 5, 10, null), // before the column
            Record("r6", now, b, "team", "anthropic", "claude", "responses", 200, 1, 1, 250_000_000, 10),
        ], CancellationToken.None);

        var hours = Rows(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?interval=hour&{Range}"));
        Assert.Equal([T0, T0.AddHours(1), T0.AddDays(1)], hours.Select(r => DateTimeOffset.FromUnixTimeSeconds(r["start"]!.GetValue<long>())));
        Assert.Equal([2L, 1L, 2L], hours.Select(r => r["requests"]!.GetValue<long>()));
        Assert.Equal([0L, 1L, 0L], hours.Select(r => r["errors"]!.GetValue<long>()));
        Assert.Equal([200.0, 50.0, 1000.0], hours.Select(r => r["latency_ms_avg"]!.GetValue<double>())); // r5 has no latency: not averaged in
        Assert.Equal([300L, 50L, 1000L], hours.Select(r => r["latency_ms_max"]!.GetValue<long>()));
        Assert.Equal(40.0, hours[0]["ttft_ms_avg"]!.GetValue<double>());
        Assert.Null(hours[1]["ttft_ms_avg"]);

        var days = Rows(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?interval=day&{Range}"));
        Assert.Equal(["2024-05-01", "2024-05-02"], days.Select(r => r["day"]!.GetValue<string>()));
        Assert.Equal([3L, 2L], days.Select(r => r["requests"]!.GetValue<long>()));

        var byKey = Assert.Single(Rows(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?key={a}&{Range}")));
        Assert.Equal((2L, 300L, 150L, 2.0m), (byKey["requests"]!.GetValue<long>(), byKey["prompt_tokens"]!.GetValue<long>(),
            byKey["completion_tokens"]!.GetValue<long>(), byKey["cost"]!.GetValue<decimal>()));
        Assert.Equal(2, Single(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?group=team&{Range}")));
        Assert.Equal(3, Single(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?connection=openai&{Range}")));
        Assert.Equal(1, Single(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?model=gpt-4o&{Range}")));
        Assert.Equal(2, Single(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?model=gpt-4o-mini&key={a}&interval=day&{Range}")));
        var none = Assert.Single(Rows(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?connection=nope&{Range}")));
        Assert.Equal(0, none["requests"]!.GetValue<long>());
        Assert.Null(none["latency_ms_avg"]);
        var grouped = Assert.Single(Rows(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?group_by=connection&key={b}")));
        Assert.Equal(("anthropic", 3L), (grouped["connection"]!.GetValue<string>(), grouped["requests"]!.GetValue<long>()));
        await sut.AdminRawAsync(HttpMethod.Get, "/admin/usage?interval=week", expectStatus: 400);

        var byEndpoint = await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?group_by=endpoint&{Range}");
        Assert.Equal("endpoint", byEndpoint["group_by"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, (long, long, decimal)>
        {
            ["(not recorded)"] = (1, 0, 0.00000001m),
            ["chat.completions"] = (1, 0, 1.5m),
            ["messages"] = (2, 1, 2.0m),
            ["responses"] = (1, 0, 0.5m),
        }, Rows(byEndpoint).ToDictionary(r => r["endpoint"]?.GetValue<string>() ?? "(not recorded)",
            r => (r["requests"]!.GetValue<long>(), r["errors"]!.GetValue<long>(), r["cost"]!.GetValue<decimal>())));
        var responses = await sut.AdminAsync(HttpMethod.Get, "/admin/usage?endpoint=responses&group_by=key");
        Assert.Equal("responses", responses["filters"]!["endpoint"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, long> { [a] = 1, [b] = 1 }, Rows(responses).ToDictionary(r => r["key"]!.GetValue<string>(), r => r["requests"]!.GetValue<long>()));
        Assert.Equal(1, Single(await sut.AdminAsync(HttpMethod.Get, "/admin/usage?endpoint=messages&interval=day&from=2024-05-01&to=2024-05-02")));
        Assert.Equal(2, Single(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?endpoint=messages&connection=anthropic&{Range}")));
        Assert.Equal(0, Single(await sut.AdminAsync(HttpMethod.Get, $"/admin/usage?endpoint=messages.count_tokens&{Range}")));
        foreach (var wrong in new[] { "chat", "Responses", "responses%27%20OR%20%271%27%3D%271" })
        {
            var refused = JsonNode.Parse(await sut.AdminRawAsync(HttpMethod.Get, $"/admin/usage?endpoint={wrong}", expectStatus: 400))!;
            Assert.Equal("endpoint", refused["error"]!["param"]!.GetValue<string>());
            Assert.Contains("chat.completions, completions, embeddings, responses, messages, messages.count_tokens", refused["error"]!["message"]!.GetValue<string>(),
                StringComparison.Ordinal);
        }

        var keys = (await sut.AdminAsync(HttpMethod.Get, "/admin/keys"))["data"]!.AsArray().ToDictionary(k => k!["id"]!.GetValue<string>(), k => k!["usage"]!);
        Assert.Equal((2L, 2.0m, 2.0m), (keys[a]["requests"]!.GetValue<long>(), keys[a]["cost"]!.GetValue<decimal>(), keys[a]["period_cost"]!.GetValue<decimal>()));
        Assert.Null(keys[a]["period_start"]);
        Assert.Equal(T0.AddMinutes(45).ToUnixTimeSeconds(), keys[a]["last_used_at"]!.GetValue<long>());
        var monthStart = keys[b]["period_start"]!.GetValue<long>();
        static long MonthStart(DateTimeOffset t) => new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Contains(monthStart, new[] { MonthStart(now), MonthStart(DateTimeOffset.UtcNow) }); // a month may have begun meanwhile
        Assert.Equal((3L, 2.25m), (keys[b]["requests"]!.GetValue<long>(), keys[b]["cost"]!.GetValue<decimal>()));
        Assert.Equal(now.ToUnixTimeSeconds() >= monthStart ? 0.25m : 0m, keys[b]["period_cost"]!.GetValue<decimal>());
        var one = await sut.AdminAsync(HttpMethod.Get, $"/admin/keys/{b}");
        Assert.Equal(3L, one["usage"]!["requests"]!.GetValue<long>());
    }

    private static List<JsonNode> Rows(JsonObject answer) => [.. answer["data"]!.AsArray().Select(r => r!)];

    private static long Single(JsonObject answer) => Assert.Single(Rows(answer))["requests"]!.GetValue<long>();
}
