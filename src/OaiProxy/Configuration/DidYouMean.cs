namespace OaiProxy.Configuration;

/// <summary>Suggests the closest known name for a misspelt one, by edit distance.</summary>
internal static class DidYouMean
{
    public static string? Suggest(string wrong, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(wrong, candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        // Beyond a third of the word, a suggestion is more confusing than helpful.
        return best is not null && bestDistance <= Math.Max(2, wrong.Length / 3) ? best : null;
    }

    public static string Hint(string wrong, IEnumerable<string> known)
    {
        var suggestion = Suggest(wrong, known);
        return suggestion is null ? "" : $" Did you mean \"{suggestion}\"?";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
