namespace OaiProxy.Storage.Database;

/// <summary>
/// The schema, as numbered steps applied in order at start-up. Never edit a published step; add the next one.
/// The SQL runs unchanged on SQLite and PostgreSQL.
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE store_state (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
            INSERT INTO store_state (name, value) VALUES ('keys_version', 0);
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                key_group TEXT NOT NULL,
                models TEXT NULL,
                connections TEXT NULL,
                metadata TEXT NULL,
                rpm BIGINT NULL,
                tpm BIGINT NULL,
                max_parallel BIGINT NULL,
                budget_nanos BIGINT NULL,
                budget_period TEXT NULL,
                expires_at BIGINT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                revoked_at BIGINT NULL,
                rotated_at BIGINT NULL
            );
            CREATE TABLE api_key_secrets (
                secret_hash TEXT PRIMARY KEY,
                key_id TEXT NOT NULL REFERENCES api_keys (id),
                hint TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NULL
            );
            CREATE INDEX ix_api_key_secrets_key ON api_key_secrets (key_id);
            CREATE TABLE usage_records (
                id TEXT PRIMARY KEY,
                created_at BIGINT NOT NULL,
                key_id TEXT NULL,
                key_group TEXT NULL,
                connection TEXT NULL,
                model TEXT NULL,
                upstream_model TEXT NULL,
                status BIGINT NOT NULL,
                prompt_tokens BIGINT NOT NULL,
                completion_tokens BIGINT NOT NULL,
                cached_tokens BIGINT NOT NULL,
                reasoning_tokens BIGINT NOT NULL,
                cost_nanos BIGINT NOT NULL,
                latency_ms BIGINT NULL,
                ttft_ms BIGINT NULL,
                stream BIGINT NOT NULL,
                client_aborted BIGINT NOT NULL
            );
            CREATE INDEX ix_usage_records_created ON usage_records (created_at);
            """),
        // The key list's spend and the dashboard's key filter read one key's records.
        (2, "CREATE INDEX ix_usage_records_key ON usage_records (key_id, created_at);"),
        // Stored Responses API responses (Responses/DatabaseResponseStore). Items carry their response's owner so an
        // item_reference lookup reads one index range of the owner's items; the primary key serves "by response" and
        // its order ('input' sorts before 'output'); the expiry index serves the sweep. No foreign key: SQLite
        // enforces none without a per-connection pragma, so the store deletes a response's items itself on both.
        (3, """
            CREATE TABLE responses (
                id TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                previous_response_id TEXT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                response TEXT NOT NULL
            );
            CREATE INDEX ix_responses_expires ON responses (expires_at);
            CREATE TABLE response_items (
                response_id TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('input', 'output')),
                position BIGINT NOT NULL,
                item_id TEXT NOT NULL,
                owner TEXT NOT NULL,
                item TEXT NOT NULL,
                PRIMARY KEY (response_id, kind, position)
            );
            CREATE INDEX ix_response_items_owner_item ON response_items (owner, item_id);
            """),
        // Which API a request came through (Logging/OperationNames: chat.completions, responses, messages, ...).
        // Records written before this step stay NULL, "not recorded": every endpoint wrote records then, and nothing
        // in a row tells which, so a backfill such as "chat.completions" would file Codex and Claude Code traffic
        // under chat. Adding a nullable column without a default rewrites no row on either database.
        (4, "ALTER TABLE usage_records ADD COLUMN endpoint TEXT NULL;"),
    ];
}
