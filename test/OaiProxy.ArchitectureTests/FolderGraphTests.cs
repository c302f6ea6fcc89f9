using NetArchTest.Rules;

namespace OaiProxy.ArchitectureTests;

/// <summary>The core's folders use only the folders docs/architecture.md allows them, read from the compiled IL.</summary>
public sealed class FolderGraphTests
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> Layers = FolderLayers.Read();

    public static TheoryData<string> Folders() => [.. Layers.SelectMany(layer => layer)];

    [Theory]
    [MemberData(nameof(Folders))]
    public void Folder_UsesOnlyLowerLayers(string folder)
    {
        var forbidden = FolderLayers.Forbidden(Layers, folder).Select(f => "OaiProxy." + f).ToArray();
        var result = Types.InAssembly(Assemblies.Core).That().ResideInNamespace("OaiProxy." + folder)
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful,
            $"{folder} uses a folder on its own line of docs/architecture.md or above ({string.Join(", ", forbidden)}):\n" +
            string.Join("\n", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void EveryFolderOfTheCore_IsInTheLayers()
    {
        var drawn = Layers.SelectMany(layer => layer).ToHashSet(StringComparer.Ordinal);
        var folders = Assemblies.Core.GetTypes()
            .Select(type => type.Namespace)
            .Where(ns => ns is not null && ns.StartsWith("OaiProxy.", StringComparison.Ordinal))
            .Select(ns => ns!.Split('.')[1])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Empty(folders.Except(drawn));
    }

    [Theory]
    [InlineData("Providers", new[] { "OpenAi", "Anthropic", "Gemini" })]
    [InlineData("Dialects", new[] { "OpenAi", "Anthropic" })]
    public void Subfolders_DoNotUseEachOther(string folder, string[] subfolders)
    {
        foreach (var subfolder in subfolders)
        {
            var siblings = subfolders.Where(s => s != subfolder).Select(s => $"OaiProxy.{folder}.{s}").ToArray();
            var result = Types.InAssembly(Assemblies.Core).That().ResideInNamespace($"OaiProxy.{folder}.{subfolder}")
                .ShouldNot().HaveDependencyOnAny(siblings).GetResult();
            Assert.True(result.IsSuccessful, $"{folder}/{subfolder} uses a sibling:\n" + string.Join("\n", result.FailingTypeNames ?? []));
        }
    }
}
