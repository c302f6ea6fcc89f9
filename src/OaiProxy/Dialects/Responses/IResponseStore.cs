namespace OaiProxy.Dialects.Responses;

/// <summary>
/// Where stored responses live for <c>previous_response_id</c>, <c>item_reference</c> and
/// <c>GET/DELETE /responses/{id}</c>: the storage module's database when it is registered, memory otherwise. Every
/// read is scoped to an owner (the key that made the response), so another key finds nothing.
/// </summary>
public interface IResponseStore
{
    /// <summary>Saves a finished response with its items; durable when the task completes (it runs before the terminal event is sent).</summary>
    Task SaveAsync(StoredResponse response, CancellationToken cancellationToken);

    /// <summary>The response when it exists, has not expired, was not deleted and belongs to <paramref name="owner"/>; null otherwise.</summary>
    Task<StoredResponse?> FindAsync(string id, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// The conversation that ends with response <paramref name="id"/>: the input and output items of it and of every
    /// response before it (following <see cref="StoredResponse.PreviousResponseId"/>), oldest first; null when the
    /// response is not found for <paramref name="owner"/>.
    /// </summary>
    Task<IReadOnlyList<StoredItem>?> FindConversationAsync(string id, string owner, CancellationToken cancellationToken);

    /// <summary>Stored items by id among the owner's responses (for <c>item_reference</c>); ids not found are absent.</summary>
    Task<IReadOnlyDictionary<string, StoredItem>> FindItemsAsync(IReadOnlyCollection<string> itemIds, string owner, CancellationToken cancellationToken);

    /// <summary>Deletes the response and its items; false when it is not found for <paramref name="owner"/>.</summary>
    Task<bool> DeleteAsync(string id, string owner, CancellationToken cancellationToken);
}
