namespace OaiProxy.Logging;

/// <summary>
/// Files that hold prompts, usage records or secrets (the request log, the SQLite database, the usage spool, the
/// <c>api_key_id</c> secret) belong to the proxy's user alone: on Unix they are created with mode 0600, and the
/// folders the proxy creates for them 0700, whatever the umask. Files and folders that already exist keep their mode,
/// which is the operator's choice.
/// </summary>
public static class PrivateFiles
{
    /// <summary>rw for the owner, nothing for anyone else.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx for the owner, nothing for anyone else.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and missing parents) owner-only; an existing folder is left as it is.</summary>
    public static void CreateDirectory(string? path)
    {
        if (string.IsNullOrEmpty(path) || Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, DirectoryMode);
    }

    /// <summary>Opens a file as <see cref="FileStream"/> would, except that a file it creates is owner-only.</summary>
    public static FileStream Open(string path, System.IO.FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096,
        FileOptions options = FileOptions.None)
    {
        var settings = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize, Options = options };
        if (!OperatingSystem.IsWindows()) settings.UnixCreateMode = FileMode;
        return new FileStream(path, settings);
    }

    /// <summary>Creates an empty owner-only file (and its folder) unless it exists, so a library that creates it later (SQLite) inherits its mode.</summary>
    public static void EnsureExists(string path)
    {
        CreateDirectory(Path.GetDirectoryName(path));
        using var _ = Open(path, System.IO.FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }
}
