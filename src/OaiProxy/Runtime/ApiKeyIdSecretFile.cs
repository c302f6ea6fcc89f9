using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OaiProxy.Auth;
using OaiProxy.Diagnostics;
using OaiProxy.Logging;

namespace OaiProxy.Runtime;

/// <summary>
/// The secret of keyed <c>api_key_id</c>s when the config holds none (neither <c>api_key_id_secret</c> nor
/// <c>master_key</c>): 32 random bytes, generated on first start and kept as hex in <c>storage/api_key_id.secret</c>
/// beside the config file (mode 0600), so ids stay the same across restarts. Read once per process; when it can be
/// neither read nor written, the ids of this process use a key of their own, and a warning says so.
/// </summary>
internal static partial class ApiKeyIdSecretFile
{
    public const string FileName = "api_key_id.secret";

    private static readonly ConcurrentDictionary<string, byte[]> Loaded = new(StringComparer.Ordinal);

    public static byte[] Load(string baseDirectory, ILogger logger) =>
        Loaded.GetOrAdd(Path.Combine(baseDirectory, "storage", FileName), path => ReadOrCreate(path, logger));

    private static byte[] ReadOrCreate(string path, ILogger logger)
    {
        try
        {
            if (File.Exists(path)) return Read(path);
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(path));
            var key = RandomNumberGenerator.GetBytes(32);
            try
            {
                using var file = PrivateFiles.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(key) + "\n"));
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                return Read(path); // another process (the CLI, a second instance) wrote it first
            }
            LogCreated(logger, path);
            return key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            LogUnavailable(logger, path, e.Message);
            return ApiKeyId.ProcessKey;
        }
    }

    private static byte[] Read(string path)
    {
        var key = Convert.FromHexString(File.ReadAllText(path).Trim());
        return key.Length >= 16 ? key : throw new FormatException($"it holds {key.Length} bytes, fewer than 16");
    }

    [LoggerMessage(EventId = LogEvents.ApiKeyIdSecretCreated, Level = LogLevel.Information,
        Message = "Created \"{Path}\", the secret of the api_key_id in logs and usage records; keep it with the database, or set api_key_id_secret.")]
    private static partial void LogCreated(ILogger logger, string path);

    [LoggerMessage(EventId = LogEvents.ApiKeyIdSecretUnavailable, Level = LogLevel.Warning,
        Message = "Cannot read or create \"{Path}\" ({Reason}); api_key_id values change when this process restarts. Set api_key_id_secret or master_key, or fix the file.")]
    private static partial void LogUnavailable(ILogger logger, string path, string reason);
}
