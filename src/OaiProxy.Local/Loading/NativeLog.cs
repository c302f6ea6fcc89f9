using LLama.Native;

namespace OaiProxy.Local.Loading;

/// <summary>
/// Silences llama.cpp (hundreds of lines per model and context) and keeps its error lines for the thread that is
/// loading a model, so a failed load can say why.
/// </summary>
internal static class NativeLog
{
    private static readonly Lock InitLock = new();
    private static bool _installed;

    [ThreadStatic]
    private static List<string>? _capture;

    /// <summary>Installs the callback; must run before the first native call, or it falls back to llama_log_set.</summary>
    public static void EnsureInstalled()
    {
        lock (InitLock)
        {
            if (_installed)
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

            _installed = true;
        }
    }

    /// <summary>Collects warning and error lines logged on this thread until the returned scope is disposed.</summary>
    public static CaptureScope Capture()
    {
        _capture = [];
        return new CaptureScope(_capture);
    }

    private static void OnLog(LLamaLogLevel level, string message)
    {
        if (_capture is { } lines && level is LLamaLogLevel.Error or LLamaLogLevel.Warning)
        {
            lines.Add(message.TrimEnd());
        }
    }

    /// <summary>The lines captured so far; disposing stops the capture.</summary>
    internal readonly struct CaptureScope(List<string> lines) : IDisposable
    {
        public IReadOnlyList<string> Lines => lines;

        public void Dispose() => _capture = null;
    }
}
