namespace OaiProxy.Limits;

/// <summary>
/// One limit a request must pass: at most <see cref="Limit"/> in the set <see cref="Key"/> after adding
/// <see cref="Amount"/>. <see cref="Span"/> is how long the entry lives (the window, or the lease);
/// <see cref="SpendTtl"/> how long a budget period's spend counter must be kept (zero: for ever).
/// </summary>
internal readonly record struct LimitCheck(
    LimitKind Kind, LimitMeter Meter, LimitScope Scope, string Key, long Limit, long Amount, TimeSpan Span, TimeSpan SpendTtl);
