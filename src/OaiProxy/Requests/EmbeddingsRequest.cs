namespace OaiProxy.Requests;

/// <summary>
/// A client's <c>POST /embeddings</c> body: kept as received for pass-through (<see cref="Envelope"/> splices the
/// model), plus the fields translating providers need.
/// </summary>
public sealed class EmbeddingsRequest
{
    internal EmbeddingsRequest(RequestBody envelope, IReadOnlyList<string>? texts, int inputCount, string? encodingFormat, int? dimensions)
    {
        Envelope = envelope;
        Texts = texts;
        InputCount = inputCount;
        EncodingFormat = encodingFormat;
        Dimensions = dimensions;
    }

    /// <summary>The body and its model token, for <see cref="BodyRewriter"/>.</summary>
    public RequestBody Envelope { get; }

    public string Model => Envelope.Model;

    /// <summary>The inputs when they are text; null when the client sent token ids.</summary>
    public IReadOnlyList<string>? Texts { get; }

    public int InputCount { get; }

    /// <summary><c>float</c> (also when absent) or <c>base64</c> (little-endian float32, as the SDKs ask by default).</summary>
    public string? EncodingFormat { get; }

    public bool Base64 => EncodingFormat == "base64";

    /// <summary><c>dimensions</c>, when set.</summary>
    public int? Dimensions { get; }
}
