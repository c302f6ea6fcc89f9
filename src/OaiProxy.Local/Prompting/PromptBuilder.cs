using System.Text;
using System.Text.RegularExpressions;
using LLama;
using LLama.Exceptions;
using LLama.Native;

namespace OaiProxy.Local.Prompting;

/// <summary>
/// Applies the chat template and tokenizes the result so that only the template's own markers become control
/// tokens: a user who types "&lt;|im_end|&gt;" gets plain-text tokens, not an end-of-turn.
/// </summary>
/// <remarks>
/// The template is rendered with a placeholder per message; text between placeholders is trusted. Trusted text
/// is split at special-token texts, and each run of plain text (trusted and user text together) is tokenized
/// without special parsing. That gives the same tokens as llama.cpp's own tokenization of the whole prompt,
/// apart from the user-typed markers.
/// </remarks>
internal sealed partial class PromptBuilder
{
    private const string DefaultTemplate = "chatml";
    private readonly SafeLlamaModelHandle _model;
    private readonly string _template;
    private readonly SpecialTokenTable _specials;

    private PromptBuilder(SafeLlamaModelHandle model, string template, SpecialTokenTable specials)
    {
        (_model, _template, _specials) = (model, template, specials);
    }

    /// <summary>The template in use: the option, else the model's own, else "chatml".</summary>
    public string Template => _template;

    public static PromptBuilder Create(LLamaWeights weights, LocalModelOptions options)
    {
        var template = options.ChatTemplate ?? weights.NativeHandle.GetTemplate(null, strict: false) ?? DefaultTemplate;
        var sut = new PromptBuilder(weights.NativeHandle, template, SpecialTokenTable.Create(weights.Vocab));
        try
        {
            _ = sut.Render([new LocalChatMessage("user", "x")]);
        }
        catch (MissingTemplateException e)
        {
            var source = options.ChatTemplate is null ? "its 'tokenizer.chat_template'" : "the 'ChatTemplate' option";
            throw new LocalModelLoadException(options.ModelPath, $"The chat template of model '{options.ModelPath}' (from {source}) is not one llama.cpp recognises; set 'ChatTemplate' to a built-in name such as 'chatml', 'llama3', 'mistral-v7' or 'gemma'.", e);
        }

        return sut;
    }

    public LLamaToken[] Build(IReadOnlyList<LocalChatMessage> messages)
    {
        var rendered = Render(messages);
        var tokens = new List<LLamaToken>();
        var run = new StringBuilder();
        var last = 0;
        foreach (Match m in Placeholder().Matches(rendered))
        {
            AppendTrusted(rendered[last..m.Index], run, tokens);
            run.Append(messages[int.Parse(m.Groups[1].ValueSpan, provider: null)].Content);
            last = m.Index + m.Length;
        }

        AppendTrusted(rendered[last..], run, tokens);
        Flush(run, tokens);
        var bos = _model.Vocab.BOS;
        if (_model.Vocab.ShouldAddBOS && bos is { } b && (tokens.Count == 0 || tokens[0] != b))
        {
            tokens.Insert(0, b);
        }

        return [.. tokens];
    }

    /// <summary>The templated prompt as plain text, with the real message contents (for diagnostics and tests).</summary>
    public string RenderText(IReadOnlyList<LocalChatMessage> messages) => Render(messages, i => messages[i].Content);

    // Private-use characters cannot occur in the template itself and survive any trimming it does.
    private string Render(IReadOnlyList<LocalChatMessage> messages) => Render(messages, i => $"\uE000{i}\uE001");

    private string Render(IReadOnlyList<LocalChatMessage> messages, Func<int, string> content)
    {
        var template = new LLamaTemplate(_template) { AddAssistant = true };
        for (var i = 0; i < messages.Count; i++)
        {
            template.Add(messages[i].Role, content(i));
        }

        return LLamaTemplate.Encoding.GetString(template.Apply());
    }

    private void AppendTrusted(string text, StringBuilder run, List<LLamaToken> tokens)
    {
        for (var i = 0; i < text.Length;)
        {
            if (_specials.TryMatch(text, i, out var token, out var length))
            {
                Flush(run, tokens);
                tokens.Add(token);
                i += length;
            }
            else
            {
                run.Append(text[i++]);
            }
        }
    }

    private void Flush(StringBuilder run, List<LLamaToken> tokens)
    {
        if (run.Length > 0)
        {
            tokens.AddRange(_model.Tokenize(run.ToString(), addBos: false, special: false, Encoding.UTF8));
            run.Clear();
        }
    }

    [GeneratedRegex("\uE000([0-9]+)\uE001")]
    private static partial Regex Placeholder();
}
