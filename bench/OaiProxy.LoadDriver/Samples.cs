using System.Diagnostics;

namespace OaiProxy.LoadDriver;

/// <summary>Durations in <see cref="Stopwatch"/> ticks; percentiles in microseconds (nearest rank).</summary>
internal sealed class Samples
{
    private readonly List<long> _ticks;
    private bool _sorted;

    public Samples(int capacity = 1024) => _ticks = new List<long>(capacity);

    public int Count => _ticks.Count;

    public void Add(long ticks)
    {
        _ticks.Add(ticks);
        _sorted = false;
    }

    public void AddRange(Samples other)
    {
        _ticks.AddRange(other._ticks);
        _sorted = false;
    }

    public double Percentile(double p)
    {
        if (_ticks.Count == 0) return double.NaN;
        if (!_sorted)
        {
            _ticks.Sort();
            _sorted = true;
        }
        var rank = (int)Math.Ceiling(p / 100 * _ticks.Count) - 1;
        return ToMicros(_ticks[Math.Clamp(rank, 0, _ticks.Count - 1)]);
    }

    public double Mean => _ticks.Count == 0 ? double.NaN : ToMicros((long)_ticks.Average());

    public double Max => _ticks.Count == 0 ? double.NaN : ToMicros(_ticks.Max());

    public static double ToMicros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
