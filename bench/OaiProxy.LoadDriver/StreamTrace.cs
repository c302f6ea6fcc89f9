namespace OaiProxy.LoadDriver;

/// <summary>What the client saw of one stream: when each data event arrived (ticks since the request was sent).</summary>
internal sealed class StreamTrace
{
    public List<long> Arrivals { get; } = new(64);

    public bool Completed { get; set; }

    public string? Error { get; set; }

    public bool Ok => Completed && Error is null;

    /// <summary>The longest wait between events, counting the wait for the first one.</summary>
    public long MaxGap
    {
        get
        {
            long max = 0, previous = 0;
            foreach (var arrival in Arrivals)
            {
                max = Math.Max(max, arrival - previous);
                previous = arrival;
            }
            return max;
        }
    }
}
