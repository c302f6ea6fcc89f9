using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Storage.Usage;

namespace OaiProxy.FunctionalTests.Dashboard;

/// <summary>
/// Three stored keys and a week of usage records for them, at hours spread over the last 150 hours (inside the
/// dashboard's default "last 7 days"), with the totals the page must show. Records are written to the database
/// directly: requests made now cannot span a week.
/// </summary>
internal sealed class DashboardSeed
{
    public sealed record Totals(long Requests, long Errors, long Prompt, long Completion, long CostNanos)
    {
        public decimal Cost => CostNanos / 1_000_000_000m;

        public static Totals Of(IEnumerable<UsageRecord> records)
        {
            var list = records.ToList();
            return new(list.Count, list.Count(r => r.Status >= 400), list.Sum(r => r.PromptTokens), list.Sum(r => r.CompletionTokens), list.Sum(r => r.CostNanos));
        }
    }

    private static readonly string[] Models = ["gpt-4o-mini", "gpt-4o", "claude-sonnet-4-5"];

    /// <summary>Chat, Responses (Codex, the Agents SDK) and Messages (Claude Code) traffic, and records from before the endpoint was recorded.</summary>
    private static readonly string?[] Endpoints = ["chat.completions", "responses", "messages", null];

    public required IReadOnlyList<string> KeyIds { get; init; }

    public required IReadOnlyList<UsageRecord> Records { get; init; }

    public Totals All => Totals.Of(Records);

    public Totals ForKey(string id) => Totals.Of(Records.Where(r => r.KeyId == id));

    /// <summary>The totals of one endpoint; null for the records written before usage records had one.</summary>
    public Totals ForEndpoint(string? endpoint) => Totals.Of(Records.Where(r => r.Endpoint == endpoint));

    public static async Task<DashboardSeed> CreateAsync(StorageProxy sut)
    {
        string[] bodies =
        [
            """{"name":"web-app","rpm":600,"tpm":200000,"budget":{"amount":50,"period":"monthly"}}""",
            """{"name":"ci-bot","rpm":60,"max_parallel":4,"budget":{"amount":5,"period":"daily"}}""",
            """{"name":"analytics","tpm":1000000}""",
        ];
        var ids = new List<string>();
        foreach (var body in bodies) ids.Add((await sut.AdminAsync(HttpMethod.Post, "/admin/keys", body, 201))["id"]!.GetValue<string>());

        var random = new Random(20240501); // fixed seed: the same records, and so the same totals, every run
        var now = DateTimeOffset.UtcNow;
        var records = new List<UsageRecord>();
        for (var i = 0; i < 240; i++)
        {
            var key = i % 7 == 0 ? 2 : i % 3 == 0 ? 1 : 0;
            var model = Models[random.Next(Models.Length)];
            var prompt = random.Next(50, 4000);
            var completion = random.Next(10, 1200);
            records.Add(new UsageRecord
            {
                Id = $"seed-{i}",
                CreatedAt = now.AddHours(-1 - random.Next(150)).AddMinutes(-random.Next(60)).ToUnixTimeMilliseconds(),
                KeyId = ids[key],
                Group = key == 1 ? "ci" : "default",
                Connection = model.StartsWith("claude", StringComparison.Ordinal) ? "anthropic" : "openai",
                Model = model,
                UpstreamModel = model,
                Endpoint = Endpoints[i % Endpoints.Length],
                Status = i % 29 == 0 ? 500 : 200,
                PromptTokens = prompt,
                CompletionTokens = completion,
                CostNanos = prompt * 2_500L + completion * 10_000L,
                LatencyMs = 200 + random.Next(2500),
                TtftMs = 80 + random.Next(400),
            });
        }
        await UsageTable.InsertAsync(sut.Storage.Keys!.Database, records, CancellationToken.None);
        return new DashboardSeed { KeyIds = ids, Records = records };
    }
}
