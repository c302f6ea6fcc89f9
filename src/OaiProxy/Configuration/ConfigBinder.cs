using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>
/// Turns the JSON tree of a config file into a validated <see cref="ProxyConfig"/>, collecting every error with
/// its key path before failing.
/// </summary>
internal static class ConfigBinder
{
    private static readonly Dictionary<string, ModelListingMode> ListingModes = new(StringComparer.Ordinal)
    {
        ["as_is"] = ModelListingMode.AsIs,
        ["ignore_wildcards"] = ModelListingMode.IgnoreWildcards,
        ["expand_wildcards"] = ModelListingMode.ExpandWildcards,
    };

    private static readonly Dictionary<string, UnpricedModelPolicy> UnpricedPolicies = new(StringComparer.Ordinal)
    {
        ["refuse"] = UnpricedModelPolicy.Refuse,
        ["allow"] = UnpricedModelPolicy.Allow,
    };

    public static ProxyConfig Bind(JsonObject root, IConnectionTypes providers, Func<string, string?> environment,
        string baseDirectory, string? sourceName = null)
    {
        var errors = new ConfigErrors();
        var section = new ConfigSection(root, "", errors, environment) { BaseDirectory = baseDirectory };
        var config = BindRoot(section, providers, baseDirectory);
        section.ReportUnknownKeys();
        errors.ThrowIfAny(sourceName);
        return config with { Warnings = errors.Warnings.ToList() };
    }

    private static ProxyConfig BindRoot(ConfigSection root, IConnectionTypes providers, string baseDirectory)
    {
        var strategies = new List<StrategyConnectionConfig>();
        var connections = ConnectionsBinder.Bind(root, providers, strategies);
        var connectionNames = connections.Select(c => c.Name).ToList();
        StrategyConnectionBinder.Validate(root, strategies, connectionNames);
        var apiPrefix = root.String("api_prefix", "/v1")!;
        if (apiPrefix.Length > 0 && !apiPrefix.StartsWith('/'))
        {
            root.Errors.Add("api_prefix", $"\"{apiPrefix}\" must start with \"/\"; write \"/{apiPrefix}\".");
        }
        var (globalLimits, defaultMaxTokens) = LimitsBinder.BindGlobal(root);
        var config = new ProxyConfig
        {
            Enabled = root.Bool("enabled", true),
            Host = root.String("host", ListenHost.Default)!,
            Port = root.Int("port", 8000, 0, 65535),
            SslKeyFile = ResolvePath(root.String("ssl_keyfile"), baseDirectory),
            SslCertFile = ResolvePath(root.String("ssl_certfile"), baseDirectory),
            ApiPrefix = apiPrefix.TrimEnd('/'),
            DevAutoreload = root.Bool("dev_autoreload", false),
            Connections = connections,
            Routing = RoutingBinder.Bind(root, connectionNames, strategies),
            Groups = GroupsBinder.Bind(root, connectionNames.Concat(strategies.Select(s => s.Name)).ToList()),
            ApiKeyCheck = BindApiKeyCheck(root),
            Loggers = ComponentListBinder.Bind(root, "loggers"),
            Before = ComponentListBinder.Bind(root, "before"),
            EncryptionKey = root.String("encryption_key", "Eclipse")!,
            LmProxyApiKeyIds = root.Has("encryption_key"),
            ApiKeyIdSecret = NullIfEmpty(root.String("api_key_id_secret")),
            ModelListingMode = root.Enum("model_listing_mode", ModelListingMode.AsIs, ListingModes),
            ModelInfo = BindModelInfo(root),
            PluginDir = ResolvePath(root.String("plugin_dir"), baseDirectory),
            MaxRequestBytes = (long)(root.Number("max_request_size_mb", 8, 0.001, 1024)!.Value * 1024 * 1024),
            ModelsCacheTtl = root.Seconds("models_cache_ttl", TimeSpan.FromMinutes(5))!.Value,
            MaxMessages = root.Int("max_messages", 4096, 1),
            ShutdownTimeout = root.Seconds("shutdown_timeout", TimeSpan.FromSeconds(30))!.Value,
            Metrics = root.Bool("metrics", true),
            DatabaseUrl = NullIfEmpty(root.String("database_url")),
            MasterKey = NullIfEmpty(root.String("master_key")),
            StateKey = NullIfEmpty(root.String("state_key")),
            ResponsesRetention = root.Seconds("responses_retention", TimeSpan.FromDays(30), min: 60, max: 86_400 * 3650)!.Value,
            Prices = PricesBinder.Bind(root),
            UnpricedModels = root.Enum("unpriced_models", UnpricedModelPolicy.Refuse, UnpricedPolicies),
            Limits = globalLimits,
            DefaultMaxTokens = defaultMaxTokens,
            Redis = LimitsBinder.BindRedis(root),
            BaseDirectory = baseDirectory,
        };
        if (ListenHost.Problem(config.Host) is { } hostProblem) root.Errors.Add("host", hostProblem);
        if (config.MasterKey is { Length: < 16 })
        {
            root.Errors.Add("master_key", "The master key is shorter than 16 characters; use a long random value, such as the output of \"openssl rand -hex 32\".");
        }
        if (config.StateKey is { Length: < 16 })
        {
            root.Errors.Add("state_key", "The state key is shorter than 16 characters; use a long random value, such as the output of \"openssl rand -hex 32\".");
        }
        if (config.ApiKeyIdSecret is { Length: < 16 })
        {
            root.Errors.Add("api_key_id_secret", "The key id secret is shorter than 16 characters; use a long random value, such as the output of \"openssl rand -hex 32\".");
        }
        if (config.ApiKeyIdSecret is not null && config.LmProxyApiKeyIds)
        {
            root.Errors.Add("api_key_id_secret", "Both api_key_id_secret and encryption_key are set; keep encryption_key for lm-proxy's md5 ids, or api_key_id_secret for keyed ids, not both.");
        }
        if ((config.SslKeyFile is null) != (config.SslCertFile is null))
        {
            root.Errors.Add(config.SslKeyFile is null ? "ssl_keyfile" : "ssl_certfile",
                "HTTPS needs both ssl_keyfile and ssl_certfile; set the missing one or remove both.");
        }
        return config;
    }

    private static ComponentConfig BindApiKeyCheck(ConfigSection root)
    {
        var hasNew = root.Has("api_key_check");
        var hasOld = root.Has("check_api_key");
        if (hasNew && hasOld)
        {
            root.Errors.Add("check_api_key", "Both api_key_check and its older name check_api_key are set; keep only api_key_check.");
        }
        var key = hasNew ? "api_key_check" : "check_api_key";
        root.MarkRead("api_key_check");
        root.MarkRead("check_api_key");
        var node = root.Raw(key);
        if (node is null) return ComponentConfig.Named(BuiltInComponents.ConfigKeyCheck);
        return ComponentListBinder.BindOne(root, node, root.PathOf(key)) ?? ComponentConfig.Named(BuiltInComponents.ConfigKeyCheck);
    }

    private static Dictionary<string, JsonObject> BindModelInfo(ConfigSection root)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var section = root.Section("model_info");
        if (section is null) return result;
        foreach (var (model, value) in section.Node)
        {
            section.MarkRead(model);
            if (value is JsonObject info) result[model] = (JsonObject)info.DeepClone();
            else root.Errors.Add(section.PathOf(model), $"Expected a table of model fields, found {ConfigSection.Describe(value)}.");
        }
        return result;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    internal static string? ResolvePath(string? path, string baseDirectory) =>
        string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path, baseDirectory);
}
