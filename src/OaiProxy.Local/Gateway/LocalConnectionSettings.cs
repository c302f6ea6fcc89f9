namespace OaiProxy.Local.Gateway;

/// <summary>What <see cref="LocalProviderFactory"/> read from one <c>api_type = "local"</c> connection table.</summary>
/// <param name="Options">The model's settings, <c>ModelPath</c> already resolved against the config file's folder.</param>
/// <param name="ModelPathKey">The key path of <c>model_path</c>, such as <c>connections.local.model_path</c>, for load errors.</param>
internal sealed record LocalConnectionSettings(LocalModelOptions Options, string ModelPathKey);
