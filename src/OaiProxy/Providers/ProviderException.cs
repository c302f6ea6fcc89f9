namespace OaiProxy.Providers;

/// <summary>An upstream could not answer a non-chat call (such as a model list).</summary>
public sealed class ProviderException : Exception
{
    public ProviderException() { }

    public ProviderException(string message) : base(message) { }

    public ProviderException(string message, Exception innerException) : base(message, innerException) { }
}
