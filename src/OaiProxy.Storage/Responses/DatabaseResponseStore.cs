using OaiProxy.Dialects.Responses;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Responses;

/// <summary>
/// Stored responses in the storage module's database (tables <c>responses</c> and <c>response_items</c>), so every
/// instance sharing it finds a response the moment its save returns. Every read is scoped to the owner and ignores
/// rows whose <c>expires_at</c> has passed (by the injected clock); <see cref="ResponseSweep"/> removes them later.
/// Times are stored in Unix milliseconds.
/// </summary>
internal sealed class DatabaseResponseStore(TimeProvider time) : IResponseStore
{
    /// <summary>How far back a conversation is followed at most, so a corrupt chain cannot loop.</summary>
    public const int MaxChain = 10_000;

    /// <summary>Item ids looked up per query: far below either database's parameter limit.</summary>
    public const int IdsPerQuery = 500;

    private static readonly RowInsert ItemInsert = new("response_items", ["response_id", "kind", "position", "item_id", "owner", "item"], "");

    private StorageDatabase? _database;

    private StorageDatabase Database => _database
        ?? throw new InvalidOperationException("Stored responses were used before the storage module opened its database; use them once the host has started.");

    /// <summary>Called by <see cref="StorageService"/> once the database is migrated, before the server listens.</summary>
    public void Attach(StorageDatabase database) => _database = database;

    /// <summary>
    /// The response and all its items in one transaction, returning once committed. Saving an id again (a retry)
    /// replaces the response and its items; an id held by another owner is refused rather than taken over.
    /// </summary>
    public async Task SaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var saved = await Sql.ExecuteAsync(connection, transaction, """
            INSERT INTO responses (id, owner, previous_response_id, created_at, expires_at, response)
            VALUES (@id, @owner, @previous, @created, @expires, @response)
            ON CONFLICT (id) DO UPDATE SET previous_response_id = excluded.previous_response_id, created_at = excluded.created_at,
                expires_at = excluded.expires_at, response = excluded.response
            WHERE responses.owner = excluded.owner
            """, cancellationToken, ("id", response.Id), ("owner", response.Owner), ("previous", response.PreviousResponseId),
            ("created", response.CreatedAt.ToUnixTimeMilliseconds()), ("expires", response.ExpiresAt.ToUnixTimeMilliseconds()), ("response", response.Response));
        if (saved == 0)
        {
            throw new InvalidOperationException($"Response \"{response.Id}\" is already stored for another owner; response ids must be unique.");
        }
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM response_items WHERE response_id = @id", cancellationToken, ("id", response.Id));
        await ItemInsert.RunAsync(connection, transaction, ItemRows(response), static row => row, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<StoredResponse?> FindAsync(string id, string owner, CancellationToken cancellationToken)
    {
        // One statement, so the response and its items come from one snapshot even while a retry replaces them: the
        // response's row first (kind ''), then its items, input before output ('input' < 'output'), by position.
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, """
            SELECT '', 0, r.previous_response_id, r.created_at, r.expires_at, r.response
            FROM responses r WHERE r.id = @id AND r.owner = @owner AND r.expires_at > @now
            UNION ALL
            SELECT i.kind, i.position, i.item_id, NULL, NULL, i.item
            FROM response_items i JOIN responses r ON r.id = i.response_id
            WHERE i.response_id = @id AND r.owner = @owner AND r.expires_at > @now
            ORDER BY 1, 2
            """, ("id", id), ("owner", owner), ("now", Now()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.GetString(0).Length != 0) return null;
        var (previous, created, expires, json) = (Sql.StringOrNull(reader, 2), Sql.Int64(reader, 3), Sql.Int64(reader, 4), reader.GetString(5));
        var input = new List<StoredItem>();
        var output = new List<StoredItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            (reader.GetString(0) == "input" ? input : output).Add(new StoredItem(reader.GetString(2), reader.GetString(5)));
        }
        return new StoredResponse
        {
            Id = id, Owner = owner, PreviousResponseId = previous, CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(created),
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expires), Response = json, Input = input, Output = output,
        };
    }

    /// <summary>
    /// Follows <c>previous_response_id</c> in one recursive query, at most <see cref="MaxChain"/> responses deep. The
    /// chain stops at the first predecessor that is missing, expired, deleted or another owner's: the conversation
    /// is what still exists back to that gap, rather than an error, because the newer responses the client can still
    /// see remain valid context and a retention sweep must not make every later turn fail.
    /// </summary>
    public async Task<IReadOnlyList<StoredItem>?> FindConversationAsync(string id, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, """
            WITH RECURSIVE chain (id, previous_response_id, depth) AS (
                SELECT id, previous_response_id, 0 FROM responses WHERE id = @id AND owner = @owner AND expires_at > @now
                UNION ALL
                SELECT r.id, r.previous_response_id, c.depth + 1
                FROM chain c JOIN responses r ON r.id = c.previous_response_id
                WHERE r.owner = @owner AND r.expires_at > @now AND c.depth + 1 < @max
            )
            SELECT i.item_id, i.item
            FROM chain c LEFT JOIN response_items i ON i.response_id = c.id
            ORDER BY c.depth DESC, i.kind, i.position
            """, ("id", id), ("owner", owner), ("now", Now()), ("max", (long)MaxChain));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = false;
        var items = new List<StoredItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found = true; // a response without items gives one row of nulls
            if (!reader.IsDBNull(0)) items.Add(new StoredItem(reader.GetString(0), reader.GetString(1)));
        }
        return found ? items : null;
    }

    /// <summary>
    /// The items among the owner's unexpired responses, <see cref="IdsPerQuery"/> ids per query. An id stored in
    /// several responses (a client that resends its history) gives the copy of the newest one.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, StoredItem>> FindItemsAsync(IReadOnlyCollection<string> itemIds, string owner, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredItem>(StringComparer.Ordinal);
        if (itemIds.Count == 0) return found;
        var now = Now();
        await using var connection = await Database.OpenAsync(cancellationToken);
        foreach (var chunk in itemIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerQuery))
        {
            var (names, parameters) = Sql.InList("item", chunk);
            await using var command = Sql.Command(connection, null, $"""
                SELECT i.item_id, i.item FROM response_items i JOIN responses r ON r.id = i.response_id
                WHERE i.owner = @owner AND i.item_id IN ({names}) AND r.owner = @owner AND r.expires_at > @now
                ORDER BY r.created_at DESC, r.id DESC
                """, [.. parameters, ("owner", owner), ("now", now)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) found.TryAdd(reader.GetString(0), new StoredItem(reader.GetString(0), reader.GetString(1)));
        }
        return found;
    }

    /// <summary>Removes the response and its items; the responses after it keep theirs, and their conversations stop at the gap.</summary>
    public async Task<bool> DeleteAsync(string id, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await Sql.ExecuteAsync(connection, transaction, "DELETE FROM responses WHERE id = @id AND owner = @owner AND expires_at > @now",
            cancellationToken, ("id", id), ("owner", owner), ("now", Now()));
        if (deleted == 0) return false;
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM response_items WHERE response_id = @id", cancellationToken, ("id", id));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static List<object?[]> ItemRows(StoredResponse response)
    {
        var rows = new List<object?[]>(response.Input.Count + response.Output.Count);
        for (var i = 0; i < response.Input.Count; i++) rows.Add([response.Id, "input", (long)i, response.Input[i].Id, response.Owner, response.Input[i].Json]);
        for (var i = 0; i < response.Output.Count; i++) rows.Add([response.Id, "output", (long)i, response.Output[i].Id, response.Owner, response.Output[i].Json]);
        return rows;
    }
}
