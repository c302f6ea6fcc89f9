using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Hooks;
using OaiProxy.Logging;
using OaiProxy.Providers;
using OaiProxy.Routing;

namespace OaiProxy.Runtime;

/// <summary>
/// One immutable snapshot of everything built from a config: requests take the current one at their start and keep
/// it to their end, so a reload never changes a request midway and no request ever takes a lock.
/// </summary>
internal sealed class ProxyState
{
    private readonly Dictionary<string, IProvider> _providers;
    private readonly Dictionary<string, GroupConfig> _groups;
    private int _leases = 1; // the holder's own lease, dropped on retirement

    internal ProxyState(ProxyConfig config, Router router, Dictionary<string, IProvider> providers,
        IApiKeyValidator validator, IReadOnlyList<IRequestHandler> handlers, IReadOnlyList<IRequestLogger> loggers,
        bool capturesResponses, Func<ValueTask> onRetired)
        : this(config, router, providers, validator, handlers, loggers, capturesResponses, new SecretScrubber(ConfiguredSecrets.Of(config)), onRetired)
    {
    }

    internal ProxyState(ProxyConfig config, Router router, Dictionary<string, IProvider> providers,
        IApiKeyValidator validator, IReadOnlyList<IRequestHandler> handlers, IReadOnlyList<IRequestLogger> loggers,
        bool capturesResponses, SecretScrubber secrets, Func<ValueTask> onRetired)
    {
        Secrets = secrets;
        KeyIds = ApiKeyId.For(config, () => ApiKeyId.ProcessKey);
        Config = config;
        Router = router;
        _providers = providers;
        Validator = validator;
        Handlers = handlers;
        Loggers = loggers;
        CapturesResponses = capturesResponses;
        OnRetired = onRetired;
        _groups = config.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        Models = new ModelCatalog(this);
    }

    public ProxyConfig Config { get; }

    /// <summary>How <c>api_key_id</c> is computed; the factory sets the persisted secret where the config names none.</summary>
    public ApiKeyId KeyIds { get; init; }

    /// <summary>Scrubs every secret of this config from upstream text: errors, error events, failed responses.</summary>
    public SecretScrubber Secrets { get; }

    public Router Router { get; }

    public IApiKeyValidator Validator { get; }

    public IReadOnlyList<IRequestHandler> Handlers { get; }

    public IReadOnlyList<IRequestLogger> Loggers { get; }

    /// <summary>Whether some logger reads request and response bodies, so streams must be assembled for it.</summary>
    public bool CapturesResponses { get; }

    internal ModelCatalog Models { get; }

    private Func<ValueTask> OnRetired { get; }

    public IProvider Provider(string connection) => _providers[connection];

    public IReadOnlyDictionary<string, IProvider> Providers => _providers;

    /// <summary>
    /// The group's settings; null for a name the config does not define (a stored key whose group was renamed, a
    /// validator's answer), which <c>Pipeline/Authentication</c> refuses: it never means "no restrictions".
    /// </summary>
    public GroupConfig? Group(string name) => _groups.GetValueOrDefault(name);

    internal bool TryLease()
    {
        while (true)
        {
            var current = Volatile.Read(ref _leases);
            if (current <= 0) return false;
            if (Interlocked.CompareExchange(ref _leases, current + 1, current) == current) return true;
        }
    }

    internal ValueTask ReleaseAsync() =>
        Interlocked.Decrement(ref _leases) == 0 ? OnRetired() : ValueTask.CompletedTask;
}
