using System.Text.Json.Nodes;
using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Hooks;
using OaiProxy.Logging;

namespace OaiProxy.Runtime;

/// <summary>Builds the configured key validator, <c>before</c> handlers and loggers, built-in or custom.</summary>
internal sealed class ComponentFactory(ProxyConfig config, ConfigErrors errors, TimeProvider time, Func<string, string?> environment)
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>Things created here that must be closed when the snapshot retires (log files, HTTP clients).</summary>
    public IReadOnlyList<IAsyncDisposable> Owned => _owned;

    private ConfigSection Settings(ComponentConfig component) => new(component.Settings, component.Path, errors, environment);

    public IApiKeyValidator CreateValidator()
    {
        var component = config.ApiKeyCheck;
        var settings = Settings(component);
        IApiKeyValidator? validator = BuiltInComponents.Resolve(component.ClassName) switch
        {
            BuiltInComponents.ConfigKeyCheck => new ConfigApiKeyValidator(config.Groups),
            BuiltInComponents.AllowAllKeyCheck => new AllowAllApiKeyValidator(CheckGroup(settings, "group", settings.String("group", "default")!, required: true)),
            BuiltInComponents.HttpKeyCheck => Own(CreateHttpValidator(settings)),
            null => CustomTypeLoader.Create<IApiKeyValidator>(component, config.PluginDir, errors),
            var other => Wrong<IApiKeyValidator>(component, other, "api_key_check"),
        };
        if (BuiltInComponents.Resolve(component.ClassName) is not null) settings.ReportUnknownKeys();
        return validator ?? new ConfigApiKeyValidator(config.Groups);
    }

    private HttpApiKeyValidator CreateHttpValidator(ConfigSection settings)
    {
        var read = HttpApiKeyValidator.Read(settings);
        // Every key gets default_group unless the service's answer names a group in group_field.
        CheckGroup(settings, "default_group", read.DefaultGroup, required: !read.ResponseAsUserInfo || read.GroupField is null);
        return new HttpApiKeyValidator(read, time);
    }

    /// <summary>
    /// A validator's group setting, checked against <c>[groups]</c>: a group that is not there would refuse every key
    /// given it, which is an error where every key gets it and a warning where it is only a fallback.
    /// </summary>
    private string CheckGroup(ConfigSection settings, string key, string group, bool required)
    {
        if (config.Groups.Any(g => g.Name == group)) return group;
        var known = config.Groups.Select(g => g.Name).ToList();
        var message = $"The group \"{group}\" is not configured, so every key placed in it would be refused (403 group_not_configured); add [groups.{group}] or set {key} to one of {string.Join(", ", known.Select(k => $"\"{k}\""))}.{DidYouMean.Hint(group, known)}";
        if (required) errors.Add(settings.PathOf(key), message);
        else errors.Warn(settings.PathOf(key), message);
        return group;
    }

    public List<IRequestHandler> CreateHandlers()
    {
        var handlers = new List<IRequestHandler>();
        foreach (var component in config.Before)
        {
            var settings = Settings(component);
            IRequestHandler? handler = BuiltInComponents.Resolve(component.ClassName) switch
            {
                BuiltInComponents.HeadersForwarder => HttpHeadersForwarder.Create(settings),
                BuiltInComponents.RateLimiter => RateLimiter.Create(settings, time),
                null => CustomTypeLoader.Create<IRequestHandler>(component, config.PluginDir, errors),
                var other => Wrong<IRequestHandler>(component, other, "before"),
            };
            if (BuiltInComponents.Resolve(component.ClassName) is not null) settings.ReportUnknownKeys();
            if (handler is not null) handlers.Add(handler);
        }
        return handlers;
    }

    public List<IRequestLogger> CreateLoggers()
    {
        var loggers = new List<IRequestLogger>();
        foreach (var component in config.Loggers)
        {
            var logger = BuiltInComponents.Resolve(component.ClassName) switch
            {
                BuiltInComponents.BaseLogger => CreateBaseLogger(component),
                null => CustomTypeLoader.Create<IRequestLogger>(component, config.PluginDir, errors),
                var other => Wrong<IRequestLogger>(component, other, "loggers"),
            };
            if (logger is not null) loggers.Add(logger);
        }
        return loggers;
    }

    private BaseLogger? CreateBaseLogger(ComponentConfig component)
    {
        var settings = Settings(component);
        var writerNode = settings.Raw("log_writer");
        var transformerNode = settings.Raw("entry_transformer");
        settings.ReportUnknownKeys();
        var writer = writerNode is null ? null : CreateWriter(SubComponent(writerNode, settings.PathOf("log_writer")));
        if (writerNode is null) errors.Add(component.Path, "BaseLogger needs a log_writer, such as { class = \"lm_proxy.loggers.JsonLogWriter\", file_name = \"storage/json.log\" }.");
        var transformer = transformerNode is null ? null : CreateTransformer(SubComponent(transformerNode, settings.PathOf("entry_transformer")));
        return writer is null ? null : new BaseLogger(writer, transformer);
    }

    private ComponentConfig? SubComponent(JsonNode node, string path) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var name) => new ComponentConfig(name, new JsonObject(), path),
        JsonObject table when table["class"] is JsonValue cv && cv.TryGetValue<string>(out var className) =>
            new ComponentConfig(className, RemoveClass(table), path),
        _ => Fail(path),
    };

    private ComponentConfig? Fail(string path)
    {
        errors.Add(path, "Expected a class name or a table with class = \"...\".");
        return null;
    }

    private static JsonObject RemoveClass(JsonObject table)
    {
        var copy = (JsonObject)table.DeepClone();
        copy.Remove("class");
        return copy;
    }

    private ILogWriter? CreateWriter(ComponentConfig? component)
    {
        if (component is null) return null;
        var settings = Settings(component);
        switch (BuiltInComponents.Resolve(component.ClassName))
        {
            case BuiltInComponents.JsonLogWriter:
                var fileName = settings.String("file_name");
                settings.ReportUnknownKeys();
                if (fileName is null)
                {
                    errors.Add(component.Path, "JsonLogWriter needs file_name = \"storage/json.log\".");
                    return null;
                }
                try
                {
                    return Own(new JsonLogWriter(Path.GetFullPath(fileName, config.BaseDirectory)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    errors.Add(settings.PathOf("file_name"), $"The log file \"{fileName}\" cannot be opened for writing: {e.Message}");
                    return null;
                }
            case null:
                return CustomTypeLoader.Create<ILogWriter>(component, config.PluginDir, errors);
            case var other:
                return Wrong<ILogWriter>(component, other, "log_writer");
        }
    }

    private ILogEntryTransformer? CreateTransformer(ComponentConfig? component)
    {
        if (component is null) return null;
        switch (BuiltInComponents.Resolve(component.ClassName))
        {
            case BuiltInComponents.LogEntryTransformer:
                var mapping = new List<KeyValuePair<string, string>>();
                var settings = Settings(component);
                foreach (var key in settings.Keys.ToList())
                {
                    if (settings.String(key) is { } path) mapping.Add(new(key, path));
                }
                return new LogEntryTransformer(mapping);
            case null:
                return CustomTypeLoader.Create<ILogEntryTransformer>(component, config.PluginDir, errors);
            case var other:
                return Wrong<ILogEntryTransformer>(component, other, "entry_transformer");
        }
    }

    private T? Wrong<T>(ComponentConfig component, string builtIn, string where) where T : class
    {
        errors.Add(component.Path, $"The built-in \"{component.ClassName}\" ({builtIn}) cannot be used as {where}.");
        return null;
    }

    private T Own<T>(T item)
    {
        if (item is IAsyncDisposable asyncDisposable) _owned.Add(asyncDisposable);
        else if (item is IDisposable disposable) _owned.Add(new DisposableAdapter(disposable));
        return item;
    }

    private sealed class DisposableAdapter(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
