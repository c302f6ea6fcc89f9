using OaiProxy.Configuration;
using OaiProxy.Providers;

namespace OaiProxy.Local.Gateway;

/// <summary>
/// <c>api_type = "local"</c>: a GGUF model run in-process. Options are checked when the config is read; the model
/// is loaded when the connection's adapter is created, so a bad file fails start-up (or the reload) as a config
/// error naming <c>model_path</c>. Models are kept across reloads while their settings are unchanged.
/// </summary>
internal sealed class LocalProviderFactory : IProviderFactory, IAsyncDisposable
{
    public const string ApiType = "local";

    private static readonly Dictionary<string, string> LoadModes = new(StringComparer.Ordinal)
    {
        [LocalModelOptions.LoadAtStartup] = LocalModelOptions.LoadAtStartup,
        [LocalModelOptions.LoadOnFirstUse] = LocalModelOptions.LoadOnFirstUse,
    };

    private readonly LocalModelPool _models = new();

    public IReadOnlyList<string> ApiTypes { get; } = [ApiType];

    public string? DefaultApiBase(string apiType) => null;

    public object? ReadSettings(ConfigSection connection)
    {
        var s = connection;
        if (s.Has("api_base"))
        {
            s.Errors.Add(s.PathOf("api_base"), "A local connection runs its model inside the proxy and has no api_base; remove it.");
        }
        var modelPath = s.FilePath("model_path");
        if (modelPath is null)
        {
            s.Errors.Add(s.PathOf("model_path"), "A local connection needs model_path: the path of a .gguf file, relative to the config file's folder.");
        }
        else if (!File.Exists(modelPath))
        {
            s.Errors.Add(s.PathOf("model_path"), $"The model file \"{modelPath}\" does not exist; fix model_path (relative paths start at the config file's folder) or put the .gguf file there.");
        }
        var defaults = new LocalModelOptions { ModelPath = "" };
        var chatTemplate = s.String("chat_template");
        if (chatTemplate is { Length: 0 })
        {
            s.Errors.Add(s.PathOf("chat_template"), "chat_template is empty; remove it to use the model's own template, or name one such as \"chatml\".");
        }
        var options = new LocalModelOptions
        {
            ModelPath = modelPath ?? "",
            ContextSize = s.Int("context_size", defaults.ContextSize, 16),
            Threads = s.Int("threads", defaults.Threads, 1, 1024),
            GpuLayers = s.Int("gpu_layers", defaults.GpuLayers, 0),
            MaxConcurrency = s.Int("max_concurrency", defaults.MaxConcurrency, 1, 1024),
            MaxQueue = s.Int("max_queue", defaults.MaxQueue, 0),
            ChatTemplate = string.IsNullOrEmpty(chatTemplate) ? null : chatTemplate,
            Load = s.Enum("load", defaults.Load, LoadModes),
        };
        return new LocalConnectionSettings(options, s.PathOf("model_path"));
    }

    public IProvider Create(ConnectionConfig connection, ProviderContext context)
    {
        var settings = (LocalConnectionSettings)connection.ProviderSettings!;
        try
        {
            return new LocalProvider(connection.Name, _models.Acquire(connection.Name, settings.Options), settings.Options, context.Time);
        }
        catch (LocalModelLoadException e)
        {
            // ProxyStateFactory turns this into a refused start-up (or a refused reload keeping the last good config).
            throw new ConfigException([new ConfigError(settings.ModelPathKey, e.Message)]);
        }
    }

    /// <summary>Models loaded now, across all snapshots (for tests).</summary>
    public int LoadedModels => _models.Count;

    public ValueTask DisposeAsync() => _models.DisposeAsync();
}
