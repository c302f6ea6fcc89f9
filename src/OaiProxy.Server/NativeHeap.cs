using System.Runtime.InteropServices;

namespace OaiProxy.Server;

/// <summary>
/// Hands free C heap pages back to the system. glibc keeps memory that native code (sockets, TLS, SQLite, the
/// runtime itself) freed in its arenas; after a burst of a thousand streams that is tens of MB of resident memory
/// nobody uses. Elsewhere (musl, macOS) there is no such call and nothing happens.
/// </summary>
internal static partial class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    public static void Trim()
    {
        if (_unavailable) return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
