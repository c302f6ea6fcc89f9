namespace OaiProxy.Configuration;

/// <summary>Thrown when a config file cannot be used; carries every error found, not only the first.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigError> errors, string? source = null)
        : base(FormatMessage(errors, source))
    {
        Errors = errors;
    }

    public ConfigException() : this([]) { }

    public ConfigException(string message) : this([new ConfigError("", message)]) { }

    public ConfigException(string message, Exception innerException) : base(message, innerException)
    {
        Errors = [new ConfigError("", message)];
    }

    public IReadOnlyList<ConfigError> Errors { get; } = [];

    private static string FormatMessage(IReadOnlyList<ConfigError> errors, string? source)
    {
        var header = source is null
            ? $"The configuration has {errors.Count} error(s):"
            : $"The configuration \"{source}\" has {errors.Count} error(s):";
        return header + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e));
    }
}
