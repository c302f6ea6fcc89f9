using System.Text.Json;

namespace OaiProxy.Requests;

/// <summary>
/// A client's chat-completions request: the raw JSON body as received, plus the few fields the proxy itself needs,
/// read in one pass. Pass-through providers forward <see cref="Body"/> with only the model spliced in; translating
/// providers read <see cref="Root"/>.
/// </summary>
public sealed class RequestBody : IDisposable
{
    private JsonDocument? _document;

    internal RequestBody(ReadOnlyMemory<byte> body, RequestBodyFields fields)
    {
        Body = body;
        Fields = fields;
    }

    /// <summary>The request body exactly as the client sent it.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    internal RequestBodyFields Fields { get; }

    public string Model => Fields.Model;

    public bool Stream => Fields.Stream;

    /// <summary><c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage => Fields.IncludeUsage;

    /// <summary>The parsed body, built on first use (translating providers and loggers only).</summary>
    public JsonElement Root => (_document ??= JsonDocument.Parse(Body)).RootElement;

    /// <summary>Whether the client sent the top-level field <paramref name="name"/>.</summary>
    public bool HasField(string name) => Fields.TopLevelKeys.Contains(name);

    public void Dispose() => _document?.Dispose();
}
