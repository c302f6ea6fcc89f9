using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>Reads, binds and validates a config file (with its <c>.env</c>), reporting every error at once.</summary>
public static class ConfigLoader
{
    public static ProxyConfig LoadFile(string path, IConnectionTypes providers, string? envFile = null)
    {
        LoadEnvFile(envFile);
        var fullPath = Path.GetFullPath(path);
        var document = ConfigDocumentReader.ReadFile(fullPath);
        return ConfigBinder.Bind(document, providers, Environment.GetEnvironmentVariable,
            Path.GetDirectoryName(fullPath)!, path);
    }

    public static ProxyConfig LoadDocument(JsonObject document, IConnectionTypes providers, string? baseDirectory = null) =>
        ConfigBinder.Bind(document, providers, Environment.GetEnvironmentVariable,
            baseDirectory ?? Directory.GetCurrentDirectory(), "config");

    /// <summary>
    /// Adds the variables of a <c>.env</c> file to the process environment; variables already set win, so a real
    /// environment always overrides the file. A missing default file is fine; a missing named one is an error.
    /// </summary>
    public static void LoadEnvFile(string? envFile)
    {
        var path = envFile ?? Path.Combine(Directory.GetCurrentDirectory(), ".env");
        if (!File.Exists(path))
        {
            if (envFile is not null) throw new ConfigException($"The env file \"{envFile}\" does not exist; fix the --env path or create the file.");
            return;
        }
        DotNetEnv.Env.Load(path, new DotNetEnv.LoadOptions(setEnvVars: true, clobberExistingVars: false, onlyExactPath: true));
    }
}
