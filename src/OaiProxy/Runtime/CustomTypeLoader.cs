using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using OaiProxy.Configuration;

namespace OaiProxy.Runtime;

/// <summary>
/// Creates custom components named by assembly-qualified type name. Assemblies are looked up in the already
/// loaded ones first, then as <c>NAME.dll</c> in the configured plugin folder. A Native AOT build has no loader for
/// new code and keeps no metadata for arbitrary types, so there a custom name is a config error that says so.
/// </summary>
internal static class CustomTypeLoader
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Guarded: returns before any reflection when the build has no JIT (Native AOT).")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Same guard; with the JIT every type's constructors are available.")]
    public static T? Create<T>(ComponentConfig component, string? pluginDir, ConfigErrors errors) where T : class
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            errors.Add(component.Path, $"\"{component.ClassName}\" is not a built-in name, and this native (AOT) build of oai-proxy cannot load custom types; use one of {string.Join(", ", BuiltInComponents.AllNames.Select(n => $"\"{n}\""))}, or run the .NET build (the oai-proxy dotnet tool) for custom components.{DidYouMean.Hint(component.ClassName, BuiltInComponents.AllNames)}");
            return null;
        }
        var type = FindType(component.ClassName, pluginDir);
        if (type is null)
        {
            errors.Add(component.Path, $"\"{component.ClassName}\" is neither a built-in name nor a type that could be loaded; use one of {string.Join(", ", BuiltInComponents.AllNames.Select(n => $"\"{n}\""))}, or an assembly-qualified type name whose assembly is loaded or in the plugin folder.{DidYouMean.Hint(component.ClassName, BuiltInComponents.AllNames)}");
            return null;
        }
        if (!typeof(T).IsAssignableFrom(type))
        {
            errors.Add(component.Path, $"The type \"{type.FullName}\" does not implement {typeof(T).Name}.");
            return null;
        }
        try
        {
            if (type.GetConstructor([typeof(JsonObject)]) is { } withSettings) return (T)withSettings.Invoke([component.Settings]);
            if (type.GetConstructor(Type.EmptyTypes) is { } plain)
            {
                if (component.Settings.Count > 0)
                {
                    errors.Add(component.Path, $"The type \"{type.FullName}\" takes no settings, but {string.Join(", ", component.Settings.Select(s => s.Key))} were given; remove them or add a constructor taking a JsonObject.");
                }
                return (T)plain.Invoke(null);
            }
            errors.Add(component.Path, $"The type \"{type.FullName}\" needs a public constructor taking nothing or a JsonObject of settings.");
        }
        catch (TargetInvocationException e)
        {
            errors.Add(component.Path, $"Creating \"{type.FullName}\" failed: {e.InnerException?.Message ?? e.Message}");
        }
        return null;
    }

    [RequiresUnreferencedCode("Loads types by name, possibly from plugin assemblies.")]
    private static Type? FindType(string name, string? pluginDir)
    {
        var type = Type.GetType(name, throwOnError: false);
        if (type is not null || pluginDir is null) return type;
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0) return null;
        var typeName = name[..comma].Trim();
        var assemblyName = name[(comma + 1)..].Split(',')[0].Trim();
        var path = Path.Combine(pluginDir, assemblyName + ".dll");
        if (!File.Exists(path)) return null;
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(path));
        return assembly.GetType(typeName, throwOnError: false);
    }
}
