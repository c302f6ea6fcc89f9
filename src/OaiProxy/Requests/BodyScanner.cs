using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Requests;

/// <summary>
/// The one forward pass over an OpenAI-style request body (chat, embeddings, legacy completions, Anthropic
/// messages, Responses): reads <c>model</c> (and where its token is, so pass-through can splice another name in),
/// <c>stream</c> and <c>stream_options.include_usage</c>, checks that the body is exactly one object of well-formed
/// text (<see cref="BodyText"/>) with each top-level key once and an acceptable model name (<see cref="ModelName"/>),
/// and hands every other top-level field to the endpoint's <see cref="FieldCheck"/>. The result is a <see cref="RequestBody"/>
/// envelope that <see cref="BodyRewriter"/> splices the same way for every endpoint.
/// </summary>
internal static class BodyScanner
{
    /// <summary>
    /// Scans <paramref name="body"/>; on success <paramref name="envelope"/> holds it with what was read.
    /// <paramref name="notAnObjectCode"/> is the error code for a body that is valid JSON but not an object.
    /// </summary>
    public static ProxyError? Scan(ReadOnlyMemory<byte> body, FieldCheck check, out RequestBody? envelope, string notAnObjectCode = ErrorCodes.InvalidJson)
    {
        var error = Scan(body.Span, ref check, static (string name, ref Utf8JsonReader reader, ref FieldCheck inner) => inner(name, ref reader),
            notAnObjectCode, out var fields);
        envelope = error is null ? new RequestBody(body, fields!) : null;
        return error;
    }

    /// <summary>The fields alone, with the endpoint's checks keeping what they learn in <paramref name="state"/>.</summary>
    public static ProxyError? Scan<TState>(ReadOnlySpan<byte> body, ref TState state, FieldCheck<TState> check, string notAnObjectCode,
        out RequestBodyFields? fields)
    {
        fields = null;
        try
        {
            return ScanCore(body, ref state, check, notAnObjectCode, out fields);
        }
        catch (JsonException e)
        {
            return ProxyError.BadRequest($"The request body is not valid JSON ({e.Message}); send one JSON object.", code: ErrorCodes.InvalidJson);
        }
    }

    private static ProxyError? ScanCore<TState>(ReadOnlySpan<byte> body, ref TState state, FieldCheck<TState> check, string notAnObjectCode,
        out RequestBodyFields? fields)
    {
        fields = null;
        if (BodyText.Check(body) is { } textError) return textError;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = ChatRequestParser.MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ProxyError.BadRequest("The request body must be a JSON object.", code: notAnObjectCode);
        }
        string? model = null;
        var modelToken = default(Range);
        bool stream = false, includeUsage = false;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            // Parsers disagree on duplicates (the proxy routed the last "model", first-wins upstreams read the first):
            // refused, so the proxy and the upstream always read the same request.
            if (!keys.Add(name)) return Duplicate(name);
            reader.Read();
            switch (name)
            {
                case "model":
                    if (reader.TokenType != JsonTokenType.String) return RequestErrors.WrongType("model", "a string", reader.TokenType);
                    model = reader.GetString()!;
                    if (ModelName.Check(model) is { } modelError) return modelError;
                    var start = (int)reader.TokenStartIndex;
                    // ValueSpan excludes the quotes; escapes keep the raw length.
                    var raw = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                    modelToken = new Range(start, start + raw + 2);
                    break;
                case "stream":
                    if (reader.TokenType is JsonTokenType.True or JsonTokenType.False) stream = reader.GetBoolean();
                    else if (reader.TokenType != JsonTokenType.Null) return RequestErrors.WrongType("stream", "a boolean", reader.TokenType);
                    break;
                case "stream_options":
                    if (reader.TokenType == JsonTokenType.StartObject) includeUsage = ReadIncludeUsage(ref reader);
                    else if (reader.TokenType != JsonTokenType.Null) return RequestErrors.WrongType("stream_options", "an object", reader.TokenType);
                    break;
                default:
                    if (check(name, ref reader, ref state) is { } error) return error;
                    break;
            }
        }
        var objectEnd = (int)reader.TokenStartIndex;
        if (reader.Read()) return ProxyError.BadRequest("The request body holds more than one JSON value; send exactly one object.", code: ErrorCodes.InvalidJson);
        if (model is null) return RequestErrors.Missing("model", "Set \"model\" to the name of the model to use.");
        if (model.Length == 0) return ProxyError.BadRequest("\"model\" is empty; set it to the name of the model to use.", "model");
        fields = new RequestBodyFields
        {
            Model = model,
            ModelToken = modelToken,
            ObjectEnd = objectEnd,
            Stream = stream,
            IncludeUsage = includeUsage && stream,
            TopLevelKeys = keys,
        };
        return null;
    }

    private static ProxyError Duplicate(string name)
    {
        var shown = name.Length > 64 ? name[..64] + "…" : name;
        return ProxyError.BadRequest($"The request body has the field \"{shown}\" more than once; send each field once.", shown, ErrorCodes.InvalidJson);
    }

    /// <summary>Reads a <c>stream_options</c> object for <c>include_usage</c>.</summary>
    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        var includeUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage && reader.TokenType == JsonTokenType.True) includeUsage = true;
            else reader.Skip();
        }
        return includeUsage;
    }
}
