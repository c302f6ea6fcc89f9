namespace OaiProxy.Configuration;

/// <summary>Collects every config error so they are reported all at once.</summary>
public sealed class ConfigErrors
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> All => _errors;

    public bool HasErrors => _errors.Count > 0;

    private readonly List<ConfigError> _warnings = [];

    /// <summary>Problems that do not stop the config from loading (logged at start-up and on reload).</summary>
    public IReadOnlyList<ConfigError> Warnings => _warnings;

    public void Add(string path, string message) => _errors.Add(new ConfigError(path, message));

    public void Warn(string path, string message) => _warnings.Add(new ConfigError(path, message));

    public void ThrowIfAny(string? source)
    {
        if (_errors.Count > 0)
        {
            throw new ConfigException(_errors.ToList(), source);
        }
    }
}
