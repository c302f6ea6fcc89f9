namespace OaiProxy.Local.Gateway;

/// <summary>
/// What makes two connections share one loaded model: the same connection name (each connection has its own model
/// and queue), the same options, and the same file on disk (a replaced .gguf is loaded again on reload).
/// </summary>
internal sealed record LocalModelKey(string Connection, LocalModelOptions Options, DateTime FileWritten, long FileLength)
{
    public static LocalModelKey For(string connection, LocalModelOptions options)
    {
        var file = new FileInfo(options.ModelPath);
        return file.Exists
            ? new LocalModelKey(connection, options, file.LastWriteTimeUtc, file.Length)
            : new LocalModelKey(connection, options, default, -1);
    }
}
