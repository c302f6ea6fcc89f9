using Microsoft.Extensions.Logging;
using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Providers;
using OaiProxy.Routing;

namespace OaiProxy.Runtime;

/// <summary>Builds a <see cref="ProxyState"/> from a validated config; any component error fails the whole build.</summary>
/// <remarks>
/// Loggers registered in DI as <see cref="IRequestLogger"/> (usage accounting, metrics) receive every request in
/// addition to the configured ones; they live as long as the app, not as long as a snapshot. Likewise, key
/// validators registered in DI as <see cref="IApiKeyValidator"/> (stored keys) are asked before the configured one.
/// </remarks>
internal sealed class ProxyStateFactory(ProviderRegistry providers, UpstreamClientPool clients, LogDispatcher logDispatcher,
    TimeProvider time, ILoggerFactory loggerFactory, IEnumerable<IRequestLogger> systemLoggers,
    IEnumerable<IApiKeyValidator> systemValidators)
{
    private readonly IApiKeyValidator[] _systemValidators = systemValidators.ToArray();

    public ProviderRegistry Providers => providers;

    public ProxyState Build(ProxyConfig config, Func<string, string?> environment, string? sourceName)
    {
        var errors = new ConfigErrors();
        var components = new ComponentFactory(config, errors, time, environment);
        var validator = _systemValidators.Length == 0
            ? components.CreateValidator()
            : new CompositeApiKeyValidator([.. _systemValidators, components.CreateValidator()]);
        var handlers = components.CreateHandlers();
        var loggers = components.CreateLoggers();
        var capturesResponses = loggers.Count > 0; // system loggers read usage, never bodies
        loggers.AddRange(systemLoggers);
        if (errors.HasErrors)
        {
            _ = DisposeAllAsync(components.Owned);
            errors.ThrowIfAny(sourceName);
        }
        var secrets = new SecretScrubber(ConfiguredSecrets.Of(config, environment));
        var built = new Dictionary<string, IProvider>(StringComparer.Ordinal);
        var acquired = new List<ConnectionConfig>();
        try
        {
            foreach (var connection in config.Connections)
            {
                var http = clients.Acquire(connection);
                acquired.Add(connection);
                var context = new ProviderContext { Http = http, Time = time, LoggerFactory = loggerFactory, Secrets = secrets };
                built[connection.Name] = providers.Find(connection.ApiType)!.Create(connection, context);
            }
        }
        catch (ConfigException)
        {
            Release(acquired, built.Values, components.Owned);
            throw;
        }
        var owned = components.Owned;
        if (errors.Warnings.Count > 0) config = config with { Warnings = [.. config.Warnings, .. errors.Warnings] };
        var keyIds = ApiKeyId.For(config, () => ApiKeyIdSecretFile.Load(config.BaseDirectory, loggerFactory.CreateLogger("OaiProxy.Auth")));
        return new ProxyState(config, new Router(config), built, validator, handlers, loggers, capturesResponses, secrets, () =>
        {
            // Close log files only after every entry already queued for them is written.
            logDispatcher.EnqueueRetirement(loggers, () => new ValueTask(DisposeAllAsync(owned)));
            Release(acquired, built.Values, []);
            return ValueTask.CompletedTask;
        }) { KeyIds = keyIds };
    }

    private void Release(List<ConnectionConfig> acquired, IEnumerable<IProvider> built, IReadOnlyList<IAsyncDisposable> owned)
    {
        foreach (var provider in built) _ = provider.DisposeAsync().AsTask();
        foreach (var connection in acquired) clients.Release(connection);
        _ = DisposeAllAsync(owned);
    }

    private static async Task DisposeAllAsync(IReadOnlyList<IAsyncDisposable> owned)
    {
        foreach (var item in owned) await item.DisposeAsync();
    }
}
