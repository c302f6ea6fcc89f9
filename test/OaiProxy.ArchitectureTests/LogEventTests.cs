using System.Reflection;
using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;

namespace OaiProxy.ArchitectureTests;

/// <summary>Every log event of the shipped assemblies has its own id, taken from the one registry.</summary>
public sealed class LogEventTests
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    [Fact]
    public void LoggerMessages_UseUniqueIdsOfTheRegistry()
    {
        var registry = typeof(LogEvents).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetRawConstantValue()!).ToList();
        Assert.Equal(registry.Count, registry.Distinct().Count());

        var used = Assemblies.All
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(Everything))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(pair => pair.Attribute is not null)
            .Select(pair => (Name: $"{pair.Method.DeclaringType!.FullName}.{pair.Method.Name}", pair.Attribute!.EventId))
            .ToList();
        Assert.NotEmpty(used);
        Assert.Empty(used.Where(u => !registry.Contains(u.EventId)).Select(u => $"{u.Name} uses {u.EventId}, not in LogEvents"));
        Assert.Empty(used.GroupBy(u => u.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(u => u.Name))}"));
    }
}
