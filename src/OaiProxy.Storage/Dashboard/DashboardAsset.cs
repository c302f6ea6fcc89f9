namespace OaiProxy.Storage.Dashboard;

/// <summary>One file of the dashboard, held in memory with its validator and, when it compresses, a gzip copy.</summary>
internal sealed record DashboardAsset(string ContentType, byte[] Content, byte[]? Gzip, string ETag);
