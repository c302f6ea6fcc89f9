namespace OaiProxy.Local;

/// <summary>A model file could not be used: missing, not GGUF, an unsupported architecture, or bad options.</summary>
public sealed class LocalModelLoadException : Exception
{
    public LocalModelLoadException()
    {
        ModelPath = "";
    }

    public LocalModelLoadException(string message)
        : base(message)
    {
        ModelPath = "";
    }

    public LocalModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        ModelPath = "";
    }

    /// <param name="modelPath">The file that failed.</param>
    /// <param name="message">What went wrong and how to fix it, naming the file.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public LocalModelLoadException(string modelPath, string message, Exception? innerException)
        : base(message, innerException)
    {
        ModelPath = modelPath;
    }

    /// <summary>The model file that failed to load.</summary>
    public string ModelPath { get; }
}
