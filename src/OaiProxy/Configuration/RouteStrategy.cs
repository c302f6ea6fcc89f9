namespace OaiProxy.Configuration;

/// <summary>How a route with several targets picks one.</summary>
public enum RouteStrategy
{
    /// <summary>Try targets in order; move on when one fails before its first byte.</summary>
    Fallback,
    RoundRobin,
    Weighted,
    LeastBusy,
    LowestLatency,
}
