using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;
using OaiProxy.Runtime;

namespace OaiProxy.Hosting;

/// <summary>
/// Applies config file edits live when <c>dev_autoreload</c> (or <see cref="OaiProxyOptions.WatchConfig"/>) is on.
/// Editors save in bursts (truncate, write, rename), so changes are debounced before one reload.
/// </summary>
internal sealed partial class ConfigWatcher(ProxyRuntime runtime, ILogger<ConfigWatcher> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);
    private FileSystemWatcher? _watcher;
    private Timer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = runtime.Options.ConfigPath;
        if (path is null || !(runtime.Options.WatchConfig || runtime.Current.Config.DevAutoreload)) return Task.CompletedTask;
        var full = Path.GetFullPath(path);
        _timer = new Timer(_ => _ = ReloadAsync(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Schedule();
        _watcher.Created += (_, _) => Schedule();
        _watcher.Renamed += (_, _) => Schedule();
        _watcher.EnableRaisingEvents = true;
        LogWatching(logger, full);
        return Task.CompletedTask;
    }

    private void Schedule() => _timer?.Change(Debounce, Timeout.InfiniteTimeSpan);

    private async Task ReloadAsync()
    {
        try
        {
            await runtime.ReloadAsync();
        }
#pragma warning disable CA1031 // A reload failure must never take the process down; it is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogReloadCrashed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        _timer?.Dispose();
        _timer = null;
    }

    [LoggerMessage(EventId = LogEvents.ConfigWatching, Level = LogLevel.Information, Message = "Watching {Path} for changes.")]
    private static partial void LogWatching(ILogger logger, string path);

    [LoggerMessage(EventId = LogEvents.ConfigReloadCrashed, Level = LogLevel.Error, Message = "Config reload failed unexpectedly.")]
    private static partial void LogReloadCrashed(ILogger logger, Exception exception);
}
