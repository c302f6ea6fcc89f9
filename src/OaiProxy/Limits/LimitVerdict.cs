namespace OaiProxy.Limits;

/// <summary>
/// The answer of a store to a plan. Admitted: <see cref="Used"/> holds each set's total after admission and
/// <see cref="OldestExpiry"/> when its oldest entry expires (Unix ms, -1 when empty), for headers. Refused:
/// <see cref="Failed"/> is the index of the first check that did not fit, <see cref="Used"/> its total.
/// </summary>
internal sealed record LimitVerdict
{
    public required bool Admitted { get; init; }

    public int Failed { get; init; } = -1;

    /// <summary>The store's clock at admission (Unix ms): Redis's own, or this process's.</summary>
    public long NowMs { get; init; }

    public required long[] Used { get; init; }

    public required long[] OldestExpiry { get; init; }

    /// <summary>The store that admitted it, which must settle it.</summary>
    public ILimitSettlement? Store { get; init; }

    /// <summary>Set when the store could not answer and the policy is fail_closed.</summary>
    public bool Unavailable { get; init; }
}
