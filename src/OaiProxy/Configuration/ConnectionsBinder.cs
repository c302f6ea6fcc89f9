using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>Binds <c>[connections.*]</c>: common keys here, provider-specific keys by the provider's factory.</summary>
internal static class ConnectionsBinder
{
    private static readonly Dictionary<string, BreakerScope> BreakerScopes = new(StringComparer.Ordinal)
    {
        ["deployment"] = BreakerScope.Deployment,
        ["connection"] = BreakerScope.Connection,
    };

    public static List<ConnectionConfig> Bind(ConfigSection root, IConnectionTypes providers, List<StrategyConnectionConfig> strategies)
    {
        var result = new List<ConnectionConfig>();
        var section = root.Section("connections");
        if (section is null)
        {
            root.Errors.Add("connections", "No connections are configured; add at least one [connections.NAME] table with an api_type.");
            return result;
        }
        foreach (var (name, node) in section.Node)
        {
            section.MarkRead(name);
            if (node is not JsonObject table)
            {
                root.Errors.Add(section.PathOf(name), $"Expected a table describing the connection, found {ConfigSection.Describe(node)}.");
                continue;
            }
            if (name.Contains('.', StringComparison.Ordinal))
            {
                root.Errors.Add(section.PathOf(name), "Connection names cannot contain \".\" (routing targets are written connection.model); rename it.");
            }
            if (table.ContainsKey("class"))
            {
                if (StrategyConnectionBinder.Bind(section.Child(table, name), name) is { } strategy) strategies.Add(strategy);
                continue;
            }
            var connection = BindOne(section.Child(table, name), name, providers);
            if (connection is not null) result.Add(connection);
        }
        return result;
    }

    private static ConnectionConfig? BindOne(ConfigSection s, string name, IConnectionTypes providers)
    {
        var apiType = s.String("api_type", "open_ai")!;
        var factory = providers.Find(apiType);
        if (factory is null)
        {
            s.Errors.Add(s.PathOf("api_type"), $"Unknown api_type \"{apiType}\"; use one of {string.Join(", ", providers.ApiTypes.Select(t => $"\"{t}\""))}.{DidYouMean.Hint(apiType, providers.ApiTypes)}");
            s.ReportUnknownKeys(s.Keys);
            return null;
        }
        var headers = s.StringMap("http_headers");
        if (s.Has("extra_headers"))
        {
            headers = headers.Concat(s.StringMap("extra_headers")).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        }
        var defaultArgs = s.Section("default_args");
        defaultArgs?.Keys.ToList().ForEach(defaultArgs.MarkRead);
        var apiBase = s.String("api_base") ?? factory.DefaultApiBase(apiType);
        if (apiBase is not null && !Uri.TryCreate(apiBase, UriKind.Absolute, out _))
        {
            s.Errors.Add(s.PathOf("api_base"), $"\"{apiBase}\" is not an absolute URL; write it like \"https://api.openai.com/v1\".");
        }
        var timeouts = new TimeoutsConfig();
        timeouts = new TimeoutsConfig
        {
            Connect = s.Seconds("connect_timeout", timeouts.Connect)!.Value,
            FirstByte = s.Seconds("first_byte_timeout", timeouts.FirstByte)!.Value,
            Idle = s.Seconds("idle_timeout", timeouts.Idle)!.Value,
            Total = s.Seconds("timeout", timeouts.Total)!.Value,
        };
        var breaker = new BreakerConfig();
        breaker = new BreakerConfig
        {
            Failures = s.Int("breaker_failures", breaker.Failures, 0, 1000),
            Cooldown = s.Seconds("breaker_cooldown", breaker.Cooldown)!.Value,
            RetryBudget = s.Number("retry_budget", breaker.RetryBudget, 0, 10)!.Value,
            Scope = s.Enum("breaker_scope", breaker.Scope, BreakerScopes),
        };
        var maxRetries = s.Int("max_retries", 2, 0, 10);
        // lm-proxy (MicroCore) connections may carry client settings in init_params; the ones we know map over.
        if (s.Section("init_params") is { } init)
        {
            maxRetries = init.Int("max_retries", maxRetries, 0, 10);
            timeouts = timeouts with { Total = init.Seconds("timeout", timeouts.Total)!.Value };
            foreach (var key in init.Keys.Where(k => k is not ("max_retries" or "timeout")).ToList())
            {
                init.MarkRead(key);
                s.Errors.Warn(init.PathOf(key), $"init_params.{key} has no equivalent in OaiProxy and is ignored.");
            }
        }
        var (allowedHeaders, allowedBetas) = GatedHeaders.Bind(s);
        var connection = new ConnectionConfig
        {
            Name = name,
            ApiType = apiType,
            ApiBase = apiBase,
            ApiKey = s.String("api_key"),
            HttpHeaders = headers,
            AllowedClientHeaders = allowedHeaders,
            AllowedAnthropicBetas = allowedBetas ?? GatedHeaders.ClaudeCodeBetas,
            DefaultArgs = defaultArgs is null ? null : (JsonObject)defaultArgs.Node.DeepClone(),
            Timeouts = timeouts,
            MaxRetries = maxRetries,
            Breaker = breaker,
            Limits = LimitsBinder.Bind(s, allowBudget: false),
            ProviderSettings = factory.ReadSettings(s),
            Fingerprint = s.Node.ToJsonString(),
        };
        s.ReportUnknownKeys();
        return connection;
    }
}
