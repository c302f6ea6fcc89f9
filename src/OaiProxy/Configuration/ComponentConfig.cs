using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>
/// A pluggable component named by <c>class</c> (a built-in name such as <c>lm_proxy.loggers.BaseLogger</c>, or an
/// assembly-qualified C# type) with its settings.
/// </summary>
public sealed record ComponentConfig(string ClassName, JsonObject Settings, string Path)
{
    public static ComponentConfig Named(string className) => new(className, new JsonObject(), "");
}
