using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Errors;

/// <summary>
/// The one scrubber of secrets in text an upstream sent (security-findings.md, finding 5): every configured secret
/// (provider keys, credential headers, the master key, passwords in URLs; see
/// <c>Configuration/ConfiguredSecrets</c>) and every credential obtained at run time (a Vertex access token) is
/// replaced by <see cref="Mask"/> wherever it occurs: in each field of an error, before anything cuts the text,
/// and in every string of a JSON event relayed as it is. Secrets shorter than <see cref="MinLength"/> characters are
/// left alone: they would redact ordinary words, and no provider issues such short keys.
/// </summary>
internal sealed class SecretScrubber
{
    public const string Mask = "[redacted]";

    public const int MinLength = 8;

    /// <summary>Run-time credentials remembered at most; older ones have expired long before.</summary>
    public const int MaxRemembered = 8;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Longest first: where one secret contains another, the whole of the longer one goes.
    private readonly string[] _secrets;
    private readonly SearchValues<string>? _search;
    private string[] _remembered = [];

    public SecretScrubber(IEnumerable<string?> secrets)
    {
        _secrets = secrets.OfType<string>().Where(s => s.Length >= MinLength).Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length).ToArray();
        _search = _secrets.Length == 0 ? null : SearchValues.Create(_secrets, StringComparison.Ordinal);
    }

    public static SecretScrubber None { get; } = new([]);

    /// <summary>
    /// Adds a credential the proxy obtained at run time (an access token), so that it is scrubbed from then on; the
    /// <see cref="MaxRemembered"/> most recent are kept.
    /// </summary>
    public void Remember(string? secret)
    {
        if (secret is not { Length: >= MinLength }) return;
        while (true)
        {
            var current = Volatile.Read(ref _remembered);
            if (Array.IndexOf(current, secret) >= 0) return;
            string[] next = [secret, .. current.Take(MaxRemembered - 1)];
            if (Interlocked.CompareExchange(ref _remembered, next, current) == current) return;
        }
    }

    /// <summary>The text with every secret replaced by <see cref="Mask"/>; the same instance when it holds none.</summary>
    public string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var result = ReplaceConfigured(text);
        foreach (var secret in Volatile.Read(ref _remembered)) result = result.Replace(secret, Mask, StringComparison.Ordinal);
        return result;
    }

    /// <summary>The error with every text field scrubbed (message, type, code, param, extra header values).</summary>
    public ProxyError Scrub(ProxyError error)
    {
        var message = Scrub(error.Message)!;
        var type = Scrub(error.Type)!;
        var code = Scrub(error.Code);
        var param = Scrub(error.Param);
        var headers = error.Headers is null ? null : ScrubHeaders(error.Headers);
        if (ReferenceEquals(message, error.Message) && ReferenceEquals(type, error.Type) && ReferenceEquals(code, error.Code) &&
            ReferenceEquals(param, error.Param) && ReferenceEquals(headers, error.Headers))
        {
            return error;
        }
        return error with { Message = message, Type = type, Code = code, Param = param, Headers = headers };
    }

    /// <summary>
    /// A JSON document (an upstream's error or failure event) with every string value scrubbed, at any depth; null
    /// when nothing had to change, so the caller relays the original bytes. Text that is not JSON is scrubbed as text.
    /// </summary>
    public byte[]? ScrubJson(ReadOnlySpan<byte> json)
    {
        if (_search is null && Volatile.Read(ref _remembered).Length == 0) return null;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            var text = Encoding.UTF8.GetString(json);
            var scrubbed = Scrub(text)!;
            return ReferenceEquals(scrubbed, text) ? null : Encoding.UTF8.GetBytes(scrubbed);
        }
        if (root is null || !ScrubNode(root, out var replacement)) return null;
        root = replacement ?? root;
        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            root.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private string ReplaceConfigured(string text)
    {
        if (_search is null) return text;
        var rest = text.AsSpan();
        var at = rest.IndexOfAny(_search);
        if (at < 0) return text;
        var builder = new StringBuilder(text.Length);
        do
        {
            builder.Append(rest[..at]).Append(Mask);
            rest = rest[(at + MatchLength(rest[at..]))..];
        }
        while ((at = rest.IndexOfAny(_search)) >= 0);
        return builder.Append(rest).ToString();
    }

    private int MatchLength(ReadOnlySpan<char> text)
    {
        foreach (var secret in _secrets)
        {
            if (text.StartsWith(secret, StringComparison.Ordinal)) return secret.Length;
        }
        return 1;
    }

    private IReadOnlyList<KeyValuePair<string, string>> ScrubHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        List<KeyValuePair<string, string>>? changed = null;
        for (var i = 0; i < headers.Count; i++)
        {
            var value = Scrub(headers[i].Value)!;
            if (changed is null && ReferenceEquals(value, headers[i].Value)) continue;
            changed ??= [.. headers.Take(i)];
            changed.Add(new(headers[i].Key, value));
        }
        return changed ?? headers;
    }

    /// <summary>Scrubs in place; true when anything changed. A string root comes back as <paramref name="replacement"/>.</summary>
    private bool ScrubNode(JsonNode node, out JsonNode? replacement)
    {
        replacement = null;
        switch (node)
        {
            case JsonObject obj:
            {
                var changed = false;
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (obj[name] is { } child && ScrubNode(child, out var value))
                    {
                        if (value is not null) obj[name] = value;
                        changed = true;
                    }
                }
                return changed;
            }
            case JsonArray array:
            {
                var changed = false;
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child && ScrubNode(child, out var value))
                    {
                        if (value is not null) array[i] = value;
                        changed = true;
                    }
                }
                return changed;
            }
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
            {
                var text = value.GetValue<string>();
                var scrubbed = Scrub(text)!;
                if (ReferenceEquals(scrubbed, text)) return false;
                replacement = JsonValue.Create(scrubbed);
                return true;
            }
            default:
                return false;
        }
    }
}
