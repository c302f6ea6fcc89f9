namespace OaiProxy.Configuration;

/// <summary>
/// A case-sensitive shell glob: <c>*</c> any run, <c>?</c> one character, <c>[a-z]</c> / <c>[!a-z]</c> a class.
/// Matching is iterative with single-star backtracking: linear in practice, no regex, no allocation.
/// </summary>
internal sealed class GlobPattern
{
    private readonly string _pattern;

    public GlobPattern(string pattern)
    {
        _pattern = pattern;
        IsLiteral = pattern.AsSpan().IndexOfAny("*?[") < 0;
    }

    public string Pattern => _pattern;

    /// <summary>True when the pattern has no wildcard, so it names exactly one model.</summary>
    public bool IsLiteral { get; }

    public static bool HasWildcards(string text) => text.AsSpan().IndexOfAny("*?[") >= 0;

    public bool IsMatch(ReadOnlySpan<char> text)
    {
        if (IsLiteral) return text.SequenceEqual(_pattern);
        var p = _pattern.AsSpan();
        int pi = 0, ti = 0, starP = -1, starT = 0;
        while (ti < text.Length)
        {
            if (pi < p.Length && p[pi] == '*')
            {
                starP = ++pi;
                starT = ti;
                continue;
            }
            if (pi < p.Length && MatchOne(p, ref pi, text[ti]))
            {
                ti++;
                continue;
            }
            if (starP < 0) return false;
            pi = starP;
            ti = ++starT;
        }
        while (pi < p.Length && p[pi] == '*') pi++;
        return pi == p.Length;
    }

    /// <summary>Matches one pattern element at <paramref name="pi"/> against <paramref name="c"/>, advancing past it on success.</summary>
    private static bool MatchOne(ReadOnlySpan<char> p, ref int pi, char c)
    {
        switch (p[pi])
        {
            case '?':
                pi++;
                return true;
            case '[':
                var bodyStart = pi + 1;
                var negate = bodyStart < p.Length && p[bodyStart] == '!';
                if (negate) bodyStart++;
                // A ']' first in the class is a member, not its end.
                var searchFrom = bodyStart < p.Length && p[bodyStart] == ']' ? bodyStart + 1 : bodyStart;
                var closeOffset = searchFrom < p.Length ? p[searchFrom..].IndexOf(']') : -1;
                if (closeOffset < 0)
                {
                    // An unclosed '[' is a literal character.
                    if (c != '[') return false;
                    pi++;
                    return true;
                }
                var close = searchFrom + closeOffset;
                var set = p[bodyStart..close];
                var inSet = false;
                for (var i = 0; i < set.Length; i++)
                {
                    if (i + 2 < set.Length && set[i + 1] == '-')
                    {
                        if (c >= set[i] && c <= set[i + 2]) inSet = true;
                        i += 2;
                    }
                    else if (set[i] == c)
                    {
                        inSet = true;
                    }
                }
                if (inSet == negate) return false;
                pi = close + 1;
                return true;
            default:
                if (p[pi] != c) return false;
                pi++;
                return true;
        }
    }

    public override string ToString() => _pattern;
}
