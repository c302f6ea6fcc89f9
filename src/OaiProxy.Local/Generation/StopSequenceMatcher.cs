namespace OaiProxy.Local.Generation;

/// <summary>
/// Cuts the output at the first stop sequence. Text that could be the start of a stop sequence is held back until
/// the next piece shows whether it matches, so no text past a stop sequence is ever emitted.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private string _pending = "";

    /// <summary>True once a stop sequence matched; later pushes are ignored.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds generated text and returns what may be emitted now.</summary>
    public string Push(string text)
    {
        if (Stopped)
        {
            return "";
        }

        _pending += text;
        if (stops.Count == 0)
        {
            return Take(_pending.Length);
        }

        var cut = -1;
        foreach (var stop in stops)
        {
            var at = _pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
            {
                cut = at;
            }
        }

        if (cut >= 0)
        {
            Stopped = true;
            var emit = _pending[..cut];
            _pending = "";
            return emit;
        }

        return Take(_pending.Length - LongestPossibleStart());
    }

    /// <summary>Releases held-back text once generation ended without a match.</summary>
    public string Flush() => Stopped ? "" : Take(_pending.Length);

    private int LongestPossibleStart()
    {
        var longest = 0;
        foreach (var stop in stops)
        {
            for (var n = Math.Min(stop.Length - 1, _pending.Length); n > longest; n--)
            {
                if (_pending.AsSpan(_pending.Length - n).SequenceEqual(stop.AsSpan(0, n)))
                {
                    longest = n;
                    break;
                }
            }
        }

        return longest;
    }

    private string Take(int count)
    {
        var emit = _pending[..count];
        _pending = _pending[count..];
        return emit;
    }
}
