namespace OaiProxy.Storage.Keys;

/// <summary>A key just created or rotated, with its secret: the only time the secret is ever available.</summary>
public sealed record CreatedKey(StoredKey Key, string Secret);
