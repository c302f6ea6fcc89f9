using LLama.Native;

namespace OaiProxy.Local.Prompting;

/// <summary>
/// The model's control and user-defined tokens by their text, longest first, so template text can be split into
/// markers and plain text the way llama.cpp's own special-token partitioning does.
/// </summary>
internal sealed class SpecialTokenTable
{
    private readonly (string Text, LLamaToken Token)[] _entries;

    private SpecialTokenTable((string, LLamaToken)[] entries) => _entries = entries;

    public static SpecialTokenTable Create(SafeLlamaModelHandle.Vocabulary vocab)
    {
        var entries = new List<(string, LLamaToken)>();
        for (var id = 0; id < vocab.Count; id++)
        {
            LLamaToken token = id;
            if ((token.GetAttributes(vocab) & (LLamaTokenAttr.Control | LLamaTokenAttr.UserDefined)) == 0)
            {
                continue;
            }

            var text = vocab.LLamaTokenToString(token, isSpecialToken: true);
            if (!string.IsNullOrEmpty(text))
            {
                entries.Add((text, token));
            }
        }

        return new SpecialTokenTable([.. entries.OrderByDescending(e => e.Item1.Length)]);
    }

    /// <summary>The longest special token whose text starts at <paramref name="index"/>, if any.</summary>
    public bool TryMatch(string text, int index, out LLamaToken token, out int length)
    {
        var rest = text.AsSpan(index);
        foreach (var (t, tok) in _entries)
        {
            if (rest.StartsWith(t, StringComparison.Ordinal))
            {
                (token, length) = (tok, t.Length);
                return true;
            }
        }

        (token, length) = (default, 0);
        return false;
    }
}
