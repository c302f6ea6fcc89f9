using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>The whole proxy configuration, as read from one file. Immutable: a reload builds a new one.</summary>
public sealed record ProxyConfig
{
    /// <summary><c>enabled</c>: when false every endpoint answers 503. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// <c>host</c>: where to listen: an IP address (<c>0.0.0.0</c> or <c>*</c> for every interface) or a name of this
    /// machine, resolved at start-up. Default <c>127.0.0.1</c> (loopback; lm-proxy's default was every interface).
    /// </summary>
    public string Host { get; init; } = ListenHost.Default;

    /// <summary><c>port</c>: port to listen on. Default 8000.</summary>
    public int Port { get; init; } = 8000;

    /// <summary><c>ssl_keyfile</c>: PEM private key; with <see cref="SslCertFile"/> turns on HTTPS.</summary>
    public string? SslKeyFile { get; init; }

    /// <summary><c>ssl_certfile</c>: PEM certificate (chain).</summary>
    public string? SslCertFile { get; init; }

    /// <summary><c>api_prefix</c>: path prefix of the OpenAI-compatible endpoints. Default <c>/v1</c>.</summary>
    public string ApiPrefix { get; init; } = "/v1";

    /// <summary><c>dev_autoreload</c>: apply edits of the config file live. Default false.</summary>
    public bool DevAutoreload { get; init; }

    /// <summary><c>connections</c>: upstreams by name, in file order.</summary>
    public IReadOnlyList<ConnectionConfig> Connections { get; init; } = [];

    /// <summary><c>routing</c>: model-name patterns to targets, first match in file order wins.</summary>
    public IReadOnlyList<RouteConfig> Routing { get; init; } = [];

    /// <summary><c>groups</c>: virtual-key groups; a single unrestricted <c>default</c> group when absent.</summary>
    public IReadOnlyList<GroupConfig> Groups { get; init; } = [];

    /// <summary><c>api_key_check</c> (or the older <c>check_api_key</c>): how virtual keys are validated. Default: keys of the groups.</summary>
    public ComponentConfig ApiKeyCheck { get; init; } = ComponentConfig.Named(BuiltInComponents.ConfigKeyCheck);

    /// <summary><c>loggers</c>: request loggers.</summary>
    public IReadOnlyList<ComponentConfig> Loggers { get; init; } = [];

    /// <summary><c>before</c>: request handlers run before the upstream call, in order.</summary>
    public IReadOnlyList<ComponentConfig> Before { get; init; } = [];

    /// <summary>
    /// <c>encryption_key</c>: lm-proxy's salt of <c>api_key_id</c> (md5 of key + salt). Setting it asks for lm-proxy's
    /// ids (<see cref="LmProxyApiKeyIds"/>); unset, ids are keyed hashes (<see cref="ApiKeyIdSecret"/>). Default
    /// <c>Eclipse</c>, as the original.
    /// </summary>
    public string EncryptionKey { get; init; } = "Eclipse";

    /// <summary>
    /// True when the config sets <c>encryption_key</c>: <c>api_key_id</c> is then lm-proxy's md5(key + encryption_key),
    /// so log analyses made for lm-proxy keep matching. Default false: <c>api_key_id</c> is an HMAC-SHA256 of the key
    /// under a secret (<see cref="ApiKeyIdSecret"/>), which nobody can recompute from a guessed key.
    /// </summary>
    public bool LmProxyApiKeyIds { get; init; }

    /// <summary>
    /// <c>api_key_id_secret</c>: the HMAC-SHA256 key of <c>api_key_id</c>, usually <c>env:OAI_PROXY_KEY_ID_SECRET</c>,
    /// at least 16 characters; instances that share a database must share it. Default: derived from
    /// <c>master_key</c>; without one, a random key generated on first start and kept (mode 0600) in
    /// <c>storage/api_key_id.secret</c> beside the config file.
    /// </summary>
    public string? ApiKeyIdSecret { get; init; }

    /// <summary><c>model_listing_mode</c>: how <c>GET /models</c> shows wildcard routes. Default <c>as_is</c>.</summary>
    public ModelListingMode ModelListingMode { get; init; } = ModelListingMode.AsIs;

    /// <summary><c>model_info</c>: extra fields merged into model entries of <c>GET /models</c>, by model id.</summary>
    public IReadOnlyDictionary<string, JsonObject> ModelInfo { get; init; } = new Dictionary<string, JsonObject>();

    /// <summary><c>plugin_dir</c>: folder searched for assemblies of custom components. Default <c>plugins</c> beside the config.</summary>
    public string? PluginDir { get; init; }

    /// <summary><c>max_request_size_mb</c>: largest request body accepted. Default 8 MiB.</summary>
    public long MaxRequestBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary><c>max_messages</c>: most messages accepted in one request. Default 4096.</summary>
    public int MaxMessages { get; init; } = 4096;

    /// <summary><c>shutdown_timeout</c>: on SIGTERM, how long requests and streams in flight may take to finish. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>models_cache_ttl</c>: how long upstream model lists are cached for <c>expand_wildcards</c>. Default 300 s.</summary>
    public TimeSpan ModelsCacheTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>metrics</c>: serve Prometheus metrics at <c>/metrics</c> (no auth, no key material). Default true; a change needs a restart.</summary>
    public bool Metrics { get; init; } = true;

    /// <summary>
    /// <c>database_url</c>: where stored keys and usage records live (with the storage module). A PostgreSQL
    /// connection string (<c>Host=...;Username=...</c> or <c>postgres://user:pass@host/db</c>), or <c>sqlite:PATH</c>.
    /// Default (absent): the SQLite file <c>storage/oaiproxy.db</c> beside the config file. Read at start-up only.
    /// </summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>
    /// <c>master_key</c>: the bearer token of the admin API (<c>/admin/...</c>), usually <c>env:OAI_PROXY_MASTER_KEY</c>;
    /// at least 16 characters. Default: none, and the admin API answers 404.
    /// </summary>
    public string? MasterKey { get; init; }

    /// <summary>
    /// <c>prices</c>: USD per million tokens by model name or glob (<c>input</c>, <c>output</c>, <c>cached_input</c>),
    /// used to cost usage records. Default: built-in list prices of well-known models; entries here override them.
    /// </summary>
    public PriceTable Prices { get; init; } = PriceTable.BuiltIn;

    /// <summary>
    /// <c>unpriced_models</c>: <c>"refuse"</c> answers 403 <c>model_not_priced</c> to a request under a budget (its key's or
    /// group's) when a model it may be sent to has no price in <see cref="Prices"/>, since its cost could not be counted;
    /// <c>"allow"</c> serves it at a cost of 0. Requests without a budget are never affected. Default: <c>"refuse"</c>.
    /// </summary>
    public UnpricedModelPolicy UnpricedModels { get; init; } = UnpricedModelPolicy.Refuse;

    /// <summary><c>[limits]</c>: <c>rpm</c>, <c>tpm</c>, <c>max_parallel</c> over all requests of the proxy (of all instances with Redis). Default: none.</summary>
    public LimitsConfig? Limits { get; init; }

    /// <summary><c>[limits] default_max_tokens</c>: completion tokens reserved for tpm and budgets when a request sets no <c>max_tokens</c>. Default 4096.</summary>
    public int DefaultMaxTokens { get; init; } = 4096;

    /// <summary><c>redis_url</c>, <c>redis_failure_policy</c>, <c>redis_timeout</c>, <c>redis_key_prefix</c>: shared limit state. Read at start-up only.</summary>
    public RedisConfig Redis { get; init; } = RedisConfig.None;

    /// <summary>
    /// <c>responses_retention</c>: how long stored Responses API responses (<c>store</c> not false) are kept for
    /// <c>previous_response_id</c>, <c>item_reference</c> and <c>GET /responses/{id}</c>, in seconds. Default 30 days.
    /// </summary>
    public TimeSpan ResponsesRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// <c>state_key</c>: the secret that seals state the proxy hands to clients to get back (the reasoning replay
    /// state in a Responses <c>encrypted_content</c>), usually <c>env:OAI_PROXY_STATE_KEY</c>, at least 16 characters.
    /// Default: the master key; without either a random key per process, so such state does not survive a restart.
    /// </summary>
    public string? StateKey { get; init; }

    /// <summary>Problems found while loading that did not stop it (such as unset environment variables).</summary>
    public IReadOnlyList<ConfigError> Warnings { get; init; } = [];

    /// <summary>Folder of the config file; relative paths in the config resolve against it.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    public ConnectionConfig? FindConnection(string name)
    {
        foreach (var connection in Connections)
        {
            if (connection.Name == name) return connection;
        }
        return null;
    }
}
