namespace OaiProxy.Storage.Keys;

/// <summary>One secret of a key, as shown: a hint (its first characters), when it was made, when it stops working.</summary>
public sealed record KeySecretInfo(string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
