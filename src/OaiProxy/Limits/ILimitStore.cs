namespace OaiProxy.Limits;

/// <summary>Where limit state lives: this process's memory, or Redis shared by every instance.</summary>
internal interface ILimitStore : ILimitSettlement
{
    /// <summary>Purges expired entries, then admits every check of the plan or none.</summary>
    ValueTask<LimitVerdict> AdmitAsync(LimitPlan plan, long nowMs, CancellationToken cancellationToken);
}

/// <summary>Whoever admitted a plan, and so must settle it.</summary>
internal interface ILimitSettlement
{
    /// <summary>
    /// Settles an admitted plan: <paramref name="actual"/>[i] is the real token count of a tokens window (or -1 to
    /// leave it), ignored for a lease (removed), the real cost of a budget (its reservation is removed).
    /// </summary>
    ValueTask SettleAsync(LimitPlan plan, long[] actual, long nowMs, CancellationToken cancellationToken);
}
