namespace OaiProxy.Dialects.Responses;

/// <summary>A finished response as stored: the resource the client saw, and the items it added to its conversation.</summary>
public sealed record StoredResponse
{
    /// <summary>The response id (<c>resp_...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Who may read it: the key that made it (see <see cref="ResponseOwner"/>).</summary>
    public required string Owner { get; init; }

    public string? PreviousResponseId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it may be removed (<c>responses_retention</c> after creation).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The response resource as the client saw it, as JSON.</summary>
    public required string Response { get; init; }

    /// <summary>The request's input items, references resolved, in order.</summary>
    public required IReadOnlyList<StoredItem> Input { get; init; }

    /// <summary>The response's output items, in order.</summary>
    public required IReadOnlyList<StoredItem> Output { get; init; }
}
