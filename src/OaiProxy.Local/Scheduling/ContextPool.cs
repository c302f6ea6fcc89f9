using LLama;
using OaiProxy.Local.Loading;

namespace OaiProxy.Local.Scheduling;

/// <summary>
/// Reuses contexts (each holds a KV cache of ContextSize tokens) across requests. The gate bounds the renters,
/// so at most MaxConcurrency contexts ever exist, however many requests queue.
/// </summary>
internal sealed class ContextPool(LoadedModel model) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Stack<LLamaContext> _idle = new();
    private int _created;

    /// <summary>Contexts created so far; stays at or below MaxConcurrency.</summary>
    public int Created
    {
        get { lock (_lock) { return _created; } }
    }

    public LLamaContext Rent()
    {
        lock (_lock)
        {
            if (_idle.TryPop(out var context))
            {
                return context;
            }

            _created++;
        }

        try
        {
            return model.CreateContext();
        }
        catch
        {
            lock (_lock)
            {
                _created--;
            }

            throw;
        }
    }

    public void Return(LLamaContext context)
    {
        lock (_lock)
        {
            _idle.Push(context);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            while (_idle.TryPop(out var context))
            {
                context.Dispose();
            }
        }
    }
}
