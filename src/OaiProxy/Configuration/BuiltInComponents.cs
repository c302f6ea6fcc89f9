namespace OaiProxy.Configuration;

/// <summary>
/// Canonical names of the built-in components, and the lm-proxy (Python) names that map to them, so an lm-proxy
/// config file runs unchanged.
/// </summary>
internal static class BuiltInComponents
{
    public const string ConfigKeyCheck = "config";
    public const string AllowAllKeyCheck = "allow_all";
    public const string HttpKeyCheck = "http";
    public const string BaseLogger = "base_logger";
    public const string JsonLogWriter = "json_log_writer";
    public const string LogEntryTransformer = "log_entry_transformer";
    public const string HeadersForwarder = "http_headers_forwarder";
    public const string RateLimiter = "rate_limiter";

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["lm_proxy.core.check_api_key"] = ConfigKeyCheck,
        ["lm_proxy.api_key_check.check_api_key_in_config"] = ConfigKeyCheck,
        ["lm_proxy.api_key_check.in_config.check_api_key_in_config"] = ConfigKeyCheck,
        ["lm_proxy.api_key_check.AllowAll"] = AllowAllKeyCheck,
        ["lm_proxy.api_key_check.allow_all.AllowAll"] = AllowAllKeyCheck,
        ["lm_proxy.api_key_check.CheckAPIKeyWithRequest"] = HttpKeyCheck,
        ["lm_proxy.api_key_check.with_request.CheckAPIKeyWithRequest"] = HttpKeyCheck,
        ["lm_proxy.loggers.BaseLogger"] = BaseLogger,
        ["lm_proxy.loggers.base_logger.BaseLogger"] = BaseLogger,
        ["lm_proxy.loggers.JsonLogWriter"] = JsonLogWriter,
        ["lm_proxy.loggers.log_writers.JsonLogWriter"] = JsonLogWriter,
        ["lm_proxy.loggers.LogEntryTransformer"] = LogEntryTransformer,
        ["lm_proxy.loggers.base_logger.LogEntryTransformer"] = LogEntryTransformer,
        ["lm_proxy.handlers.HTTPHeadersForwarder"] = HeadersForwarder,
        ["lm_proxy.handlers.forward_http_headers.HTTPHeadersForwarder"] = HeadersForwarder,
        ["lm_proxy.handlers.RateLimiter"] = RateLimiter,
        ["lm_proxy.handlers.rate_limiter.RateLimiter"] = RateLimiter,
    };

    private static readonly HashSet<string> Canonical =
    [
        ConfigKeyCheck, AllowAllKeyCheck, HttpKeyCheck, BaseLogger, JsonLogWriter, LogEntryTransformer,
        HeadersForwarder, RateLimiter,
    ];

    /// <summary>The canonical built-in name for <paramref name="className"/>, or null for a custom type.</summary>
    public static string? Resolve(string className)
    {
        if (Canonical.Contains(className)) return className;
        return Aliases.TryGetValue(className, out var canonical) ? canonical : null;
    }

    public static IEnumerable<string> AllNames => Canonical.Concat(Aliases.Keys);
}
