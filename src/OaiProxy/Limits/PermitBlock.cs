namespace OaiProxy.Limits;

/// <summary>
/// Permits the shared store granted this instance at once: one entry of weight <see cref="Granted"/> in the
/// shared set, admitted under <see cref="Plan"/> by <see cref="Store"/>. For a window <see cref="Taken"/> counts
/// permits used; for a lease, slots in use right now. Permits are handed out until <see cref="HoldUntil"/> only.
/// </summary>
internal sealed class PermitBlock(LimitPlan plan, ILimitSettlement store, long granted, long holdUntil)
{
    public LimitPlan Plan { get; } = plan;

    public ILimitSettlement Store { get; } = store;

    public long Granted { get; } = granted;

    /// <summary>A timestamp of the pool's clock.</summary>
    public long HoldUntil { get; } = holdUntil;

    /// <summary>Guarded by the pool's lock.</summary>
    public long Taken { get; set; }

    public bool CanGive(long now) => now < HoldUntil && Taken < Granted;
}
