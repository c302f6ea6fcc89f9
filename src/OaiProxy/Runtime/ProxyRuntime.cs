using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.Diagnostics;

namespace OaiProxy.Runtime;

/// <summary>
/// Holds the current <see cref="ProxyState"/> and swaps in a new one on reload. A config that fails to load or build
/// changes nothing: the last good snapshot keeps serving and the errors are logged.
/// </summary>
internal sealed partial class ProxyRuntime : IActiveConfig, IAsyncDisposable
{
    private readonly ProxyStateFactory _factory;
    private readonly ILogger<ProxyRuntime> _logger;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private ProxyState _current;

    public ProxyRuntime(ProxyStateFactory factory, ProxyState initial, OaiProxyOptions options, ILogger<ProxyRuntime> logger)
    {
        _factory = factory;
        _current = initial;
        Options = options;
        _logger = logger;
        LogWarnings(initial);
    }

    private void LogWarnings(ProxyState state)
    {
        foreach (var warning in state.Config.Warnings) LogConfigWarning(_logger, warning.ToString());
    }

    public OaiProxyOptions Options { get; }

    ProxyConfig IActiveConfig.Current => Current.Config;

    /// <summary>The snapshot in force; use <see cref="Lease"/> to keep one for a whole request.</summary>
    public ProxyState Current => Volatile.Read(ref _current);

    /// <summary>Raised after a new snapshot is in force.</summary>
    public event Action<ProxyState>? Reloaded;

    /// <summary>Counts of reloads applied and refused, for tests and the readiness endpoint.</summary>
    public int ReloadsApplied { get; private set; }

    public int ReloadsRejected { get; private set; }

    /// <summary>The current snapshot, kept alive until the lease is disposed.</summary>
    public StateLease Lease()
    {
        while (true)
        {
            var state = Current;
            if (state.TryLease()) return new StateLease(state);
        }
    }

    /// <summary>Loads the config file again; false (and nothing changed) when it is invalid.</summary>
    public async Task<bool> ReloadAsync()
    {
        if (Options.ConfigPath is null) return false;
        await _reloadLock.WaitAsync();
        try
        {
            ProxyState next;
            try
            {
                var config = ConfigLoader.LoadFile(Options.ConfigPath, _factory.Providers, Options.EnvFile);
                next = _factory.Build(config, Environment.GetEnvironmentVariable, Options.ConfigPath);
            }
            catch (ConfigException e)
            {
                ReloadsRejected++;
                LogReloadRejected(_logger, e.Message);
                return false;
            }
            await SwapAsync(next);
            return true;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary>Applies an already built config (library use: configuration changed in code).</summary>
    public async Task ApplyAsync(ProxyConfig config)
    {
        await _reloadLock.WaitAsync();
        try
        {
            await SwapAsync(_factory.Build(config, Environment.GetEnvironmentVariable, null));
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private async ValueTask SwapAsync(ProxyState next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        ReloadsApplied++;
        LogReloaded(_logger, next.Config.Connections.Count, next.Config.Routing.Count);
        LogWarnings(next);
        Reloaded?.Invoke(next);
        await previous.ReleaseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Current.ReleaseAsync();
        _reloadLock.Dispose();
    }

    [LoggerMessage(EventId = LogEvents.ConfigReloaded, Level = LogLevel.Information, Message = "Configuration reloaded: {Connections} connections, {Routes} routes.")]
    private static partial void LogReloaded(ILogger logger, int connections, int routes);

    [LoggerMessage(EventId = LogEvents.ConfigWarning, Level = LogLevel.Warning, Message = "Configuration warning: {Warning}")]
    private static partial void LogConfigWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = LogEvents.ConfigReloadRejected, Level = LogLevel.Error, Message = "Configuration reload rejected; the previous configuration stays in force. {Errors}")]
    private static partial void LogReloadRejected(ILogger logger, string errors);
}
