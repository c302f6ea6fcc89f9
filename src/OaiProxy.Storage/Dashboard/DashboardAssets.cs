using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;

namespace OaiProxy.Storage.Dashboard;

/// <summary>
/// The dashboard's files, read once from the assembly's <c>ui/...</c> resources. They are small (Chart.js is the
/// largest at ~200 KB), so keeping them and their gzip copies in memory costs less than re-reading per request.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "ui/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".md"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    private readonly Dictionary<string, DashboardAsset> _assets = new(StringComparer.Ordinal);

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // RecursiveDir uses the build machine's separator.
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            _assets[path[Prefix.Length..]] = Load(assembly, name, path);
        }
    }

    /// <summary>The file at <paramref name="path"/> below <c>/ui/</c> (empty: the page), or null.</summary>
    public DashboardAsset? Find(string path) => _assets.GetValueOrDefault(path.Length == 0 ? "index.html" : path);

    private static DashboardAsset Load(Assembly assembly, string name, string path)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var type = ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
        return new DashboardAsset(type, content, type.StartsWith("image/png", StringComparison.Ordinal) ? null : Compress(content), etag);
    }

    private static byte[]? Compress(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(content);
        return output.Length < content.Length ? output.ToArray() : null;
    }
}
