using LLama.Native;

namespace OaiProxy.Local.Loading;

/// <summary>
/// Silences llama.cpp (hundreds of lines per model and context) and keeps its error lines for the thread that is
/// loading a model, so a failed load can say why.
/// </summary>
internal static class NativeLog
{
    private static readonly Lock InitLock = new();
    private static bool s_installed;

    [ThreadStatic]
    private static List<string>? t_capture;

    /// <summary>Installs the callback; must run before the first native call, or it falls back to llama_log_set.</summary>
    public static void EnsureInstalled()
    {
        lock (InitLock)
        {
            if (s_installed)
            {
                return;
            }

            try
            {
                NativeLibraryConfig.All.WithLogCallback(OnLog);
            }
            catch (InvalidOperationException)
            {
                // The host loaded the native library first; setting the callback directly still works then.
                NativeLogConfig.llama_log_set(OnLog);
            }

            s_installed = true;
        }
    }

    /// <summary>Collects warning and error lines logged on this thread until the returned scope is disposed.</summary>
    public static CaptureScope Capture()
    {
        t_capture = [];
        return new CaptureScope(t_capture);
    }

    private static void OnLog(LLamaLogLevel level, string message)
    {
        if (t_capture is { } lines && level is LLamaLogLevel.Error or LLamaLogLevel.Warning)
        {
            lines.Add(message.TrimEnd());
        }
    }

    /// <summary>The lines captured so far; disposing stops the capture.</summary>
    internal readonly struct CaptureScope(List<string> lines) : IDisposable
    {
        public IReadOnlyList<string> Lines => lines;

        public void Dispose() => t_capture = null;
    }
}
