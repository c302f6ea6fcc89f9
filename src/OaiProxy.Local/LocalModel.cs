using System.Runtime.CompilerServices;
using OaiProxy.Local.Generation;
using OaiProxy.Local.Loading;
using OaiProxy.Local.Scheduling;

namespace OaiProxy.Local;

/// <summary>
/// One GGUF model served in-process by llama.cpp: a bounded FIFO of chat generations over pooled contexts.
/// Thread-safe; share one instance per model.
/// </summary>
public sealed class LocalModel : IAsyncDisposable
{
    private readonly LocalModelOptions _options;
    private readonly GgufInfo _info;
    private readonly GenerationGate _gate;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private LoadedModel? _loaded;
    private ContextPool? _pool;
    private int _disposed;

    private LocalModel(LocalModelOptions options, GgufInfo info, TimeProvider time)
    {
        _options = options;
        _info = info;
        _gate = new GenerationGate(options.MaxConcurrency, options.MaxQueue, time);
    }

    /// <summary>The model's <c>general.name</c>, else the file name without extension.</summary>
    public string Name => _info.Name ?? Path.GetFileNameWithoutExtension(_options.ModelPath);

    /// <summary>The context length the model was trained with (from its metadata); 0 if it does not say.</summary>
    public int TrainedContextLength => (int)Math.Min(_info.ContextLength ?? _loaded?.Weights.ContextSize ?? 0, int.MaxValue);

    /// <summary>True once the weights are in memory (at once for "startup", after the first request for "first_use").</summary>
    public bool IsLoaded => Volatile.Read(ref _loaded) is not null;

    /// <summary>Generations running now.</summary>
    public int ActiveGenerations => _gate.Active;

    /// <summary>Requests waiting for a slot now.</summary>
    public int QueuedRequests => _gate.Queued;

    internal int ContextsCreated => _pool?.Created ?? 0;

    internal LoadedModel? Loaded => Volatile.Read(ref _loaded);

    /// <summary>
    /// Checks the options and the file (present, GGUF, supported architecture) and, unless <c>Load</c> is
    /// "first_use", reads the weights now.
    /// </summary>
    /// <exception cref="LocalModelLoadException">The options or file are unusable; the message says how to fix it.</exception>
    public static LocalModel Load(LocalModelOptions options) => Load(options, TimeProvider.System);

    internal static LocalModel Load(LocalModelOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = new LocalModel(options, ModelLoader.Inspect(options), time);
        if (options.Load == LocalModelOptions.LoadAtStartup)
        {
            model.SetLoaded(ModelLoader.Load(options, model._info));
        }

        return model;
    }

    /// <summary>
    /// Streams a chat completion: text deltas, then one final chunk with the finish reason and usage.
    /// Waits in the model's FIFO queue when all slots are busy.
    /// </summary>
    /// <exception cref="LocalModelBusyException">All slots are busy and the queue is full.</exception>
    /// <exception cref="LocalRequestException">The prompt does not fit in the context.</exception>
    /// <exception cref="LocalModelLoadException">A "first_use" model failed to load.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; the slot is freed at once.</exception>
    public async IAsyncEnumerable<LocalChunk> GenerateAsync(
        LocalChatRequest request, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!await _gate.EnterAsync(ct))
        {
            throw new LocalModelBusyException($"Local model '{Name}' is busy: {_options.MaxConcurrency} running and {_options.MaxQueue} queued; retry later or raise 'MaxQueue'.", _gate.SuggestRetryAfter());
        }

        // Everything that touches native state happens inside the slot: DisposeAsync waits for slots before freeing.
        var started = _gate.Timestamp();
        try
        {
            var loaded = await EnsureLoadedAsync(ct);
            var prompt = loaded.Prompt.Build(request.Messages);
            if (prompt.Length >= loaded.ContextSize)
            {
                throw new LocalRequestException("messages", $"The prompt is {prompt.Length} tokens, but the context of local model '{Name}' holds {loaded.ContextSize}; shorten the conversation or raise 'ContextSize'.");
            }

            var context = _pool!.Rent();
            try
            {
                foreach (var chunk in GenerationLoop.Run(loaded, context, prompt, request, ct, _shutdown.Token))
                {
                    yield return chunk;
                }
            }
            finally
            {
                _pool.Return(context);
            }
        }
        finally
        {
            _gate.Release(_gate.Since(started));
        }
    }

    /// <summary>
    /// Refuses new requests, cancels running ones, waits until their consumers have observed the cancellation
    /// (or finished), then frees contexts and weights.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync();
        // Loads and generations run inside gate slots, so once the gate is idle nothing native is in use.
        await _gate.CloseAsync();
        _pool?.Dispose();
        _loaded?.Dispose();
        _shutdown.Dispose();
        _loadLock.Dispose();
    }

    private async ValueTask<LoadedModel> EnsureLoadedAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _loaded) is { } loaded)
        {
            return loaded;
        }

        await _loadLock.WaitAsync(ct);
        try
        {
            // A failed load is not cached: the next request tries again, so a file copied in later is picked up.
            return _loaded ?? SetLoaded(ModelLoader.Load(_options, ModelLoader.Inspect(_options)));
        }
        finally
        {
            _loadLock.Release();
        }
    }

    private LoadedModel SetLoaded(LoadedModel loaded)
    {
        _pool = new ContextPool(loaded);
        Volatile.Write(ref _loaded, loaded);
        return loaded;
    }
}
