using System.Reflection;

namespace OaiProxy.ArchitectureTests;

/// <summary>The assemblies that ship.</summary>
internal static class Assemblies
{
    public static Assembly Core { get; } = typeof(Hosting.OaiProxyClient).Assembly;

    public static Assembly Storage { get; } = typeof(Storage.Hosting.StorageServiceCollectionExtensions).Assembly;

    public static Assembly Local { get; } = Assembly.Load("OaiProxy.Local");

    public static Assembly Server { get; } = Assembly.Load("oai-proxy");

    public static IReadOnlyList<Assembly> All { get; } = [Core, Storage, Local, Server];
}
