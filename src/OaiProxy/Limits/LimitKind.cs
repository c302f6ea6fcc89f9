namespace OaiProxy.Limits;

/// <summary>How a check counts; each kind is a set of weighted entries that expire.</summary>
internal enum LimitKind
{
    /// <summary>A sliding window (rpm, tpm): entries expire one window after admission; tokens are adjusted at settlement.</summary>
    Window,

    /// <summary>Concurrent requests: an entry (weight 1) per request in flight, removed at settlement, expiring after a lease as a safety net.</summary>
    Lease,

    /// <summary>A budget: a reservation per request in flight, replaced by the real cost (added to the period's spend) at settlement.</summary>
    Budget,
}
