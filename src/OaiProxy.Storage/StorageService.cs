using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;
using OaiProxy.Runtime;
using OaiProxy.Storage.Database;
using OaiProxy.Storage.Keys;
using OaiProxy.Storage.Responses;
using OaiProxy.Storage.Usage;

namespace OaiProxy.Storage;

/// <summary>
/// Opens the database at start-up (before the server listens): migrates the schema, loads the key cache, attaches
/// the usage sink and its spool and the response store, then runs the key-change poll, the spool replay and the
/// expired-response sweep until shutdown. Usage records still queued at shutdown are written by the log
/// dispatcher's final flush, which runs after this stops.
/// </summary>
internal sealed partial class StorageService(IServiceProvider services, KeyCache cache, UsageSink usage, DatabaseResponseStore responses,
    TimeProvider time, ILogger<StorageService> logger, ILogger<ResponseSweep> sweepLogger)
    : IHostedService, IAsyncDisposable
{
    private CancellationTokenSource? _stopping;
    private Task _loops = Task.CompletedTask;

    /// <summary>The stored keys; null until the service started.</summary>
    public KeyStore? Keys { get; private set; }

    public IActiveConfig? Config { get; private set; }

    public KeyCache Cache => cache;

    public UsageSink Usage => usage;

    public DatabaseResponseStore Responses => responses;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Config = services.GetRequiredService<IActiveConfig>();
        var config = Config.Current;
        var database = StorageDatabase.FromConfig(config);
        try
        {
            var applied = await MigrationRunner.RunAsync(database, time, cancellationToken);
            Keys = new KeyStore(database, time);
            await Cache.LoadAsync(Keys, cancellationToken);
            LogOpened(logger, database.Description, applied);
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException)
        {
            await database.DisposeAsync();
            throw new StorageException($"Cannot open the {database.Description}: {e.Message} Start the database, or fix database_url in the config.", e);
        }
        Usage.Attach(database, new UsageSpool(Path.Combine(config.BaseDirectory, "storage", "usage-spool.jsonl")));
        responses.Attach(database);
        var sweep = new ResponseSweep(database, time, sweepLogger);
        _stopping = new CancellationTokenSource();
        _loops = Task.WhenAll(Task.Run(() => Cache.RunAsync(_stopping.Token), CancellationToken.None),
            Task.Run(() => Usage.RunReplayAsync(_stopping.Token), CancellationToken.None),
            Task.Run(() => sweep.RunAsync(_stopping.Token), CancellationToken.None));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null) return;
        await _stopping.CancelAsync();
        await _loops.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping?.Dispose();
        if (Keys is not null) await Keys.Database.DisposeAsync();
    }

    [LoggerMessage(EventId = LogEvents.StorageOpened, Level = LogLevel.Information, Message = "Storage: {Database}, {Applied} schema migrations applied, stored keys loaded.")]
    private static partial void LogOpened(ILogger logger, string database, int applied);
}
