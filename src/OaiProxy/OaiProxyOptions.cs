using System.Text.Json.Nodes;

namespace OaiProxy;

/// <summary>How the proxy gets its configuration when hosted (server or library).</summary>
public sealed class OaiProxyOptions
{
    /// <summary>Config file (.toml, .json, .yml/.yaml). Watched for changes when <c>dev_autoreload</c> is on.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>A config given as a JSON tree instead of a file (library use and tests).</summary>
    public JsonObject? ConfigDocument { get; set; }

    /// <summary>The <c>.env</c> file; default <c>./.env</c> when present.</summary>
    public string? EnvFile { get; set; }

    /// <summary>Watch the config file even when it does not set <c>dev_autoreload</c>.</summary>
    public bool WatchConfig { get; set; }

    /// <summary>Verbose diagnostics (<c>--debug</c>).</summary>
    public bool Debug { get; set; }
}
