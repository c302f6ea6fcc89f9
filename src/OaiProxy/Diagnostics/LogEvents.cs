namespace OaiProxy.Diagnostics;

/// <summary>
/// Every event id the proxy's own log uses, in one place so each stays unique and stable for alerting (a test
/// checks that every <c>[LoggerMessage]</c> in the shipped assemblies uses one of these, and each only once).
/// Ranges: 1xxx configuration, 2xxx request path, 3xxx request logging, 4xxx providers, 5xxx limits, 8xxx storage.
/// </summary>
public static class LogEvents
{
    public const int ConfigReloaded = 1001;
    public const int ConfigReloadRejected = 1002;
    public const int ConfigWatching = 1003;
    public const int ConfigReloadCrashed = 1004;
    public const int ConfigWarning = 1005;
    public const int ApiKeyIdSecretCreated = 1006;
    public const int ApiKeyIdSecretUnavailable = 1007;
    public const int HostResolved = 1101;

    public const int UnhandledError = 2001;
    public const int ResponsesToolsDropped = 2101;
    public const int ResponsesItemsDropped = 2102;

    public const int RequestLoggerFailed = 3001;

    public const int AnthropicUnknownStopReason = 4001;
    public const int GoogleTokenRefreshed = 4101;
    public const int GoogleTokenFailed = 4102;

    public const int RedisDown = 5001;
    public const int RedisRecovered = 5002;
    public const int RedisConnected = 5003;
    public const int RedisNotSubscribed = 5004;

    public const int StorageOpened = 8001;
    public const int StoredKeysPollFailed = 8101;
    public const int StoredKeysRecovered = 8102;
    public const int UsageDatabaseDown = 8201;
    public const int UsageSpooled = 8202;
    public const int UsageReplayed = 8203;
    public const int UsageLost = 8204;
    public const int ResponsesSwept = 8301;
    public const int ResponsesSweepFailed = 8302;
    public const int AdminKeyThrottled = 8401;
}
