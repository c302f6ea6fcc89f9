namespace OaiProxy.ArchitectureTests;

/// <summary>The layers of the core's folders, as docs/architecture.md draws them (its <c>layers</c> block), top first.</summary>
internal static class FolderLayers
{
    public static IReadOnlyList<IReadOnlyList<string>> Read()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "architecture.md"));
        var start = Array.IndexOf(lines, "```layers");
        Assert.True(start >= 0, "docs/architecture.md has no ```layers block.");
        var layers = new List<IReadOnlyList<string>>();
        for (var i = start + 1; i < lines.Length && lines[i] != "```"; i++)
        {
            layers.Add(lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        Assert.NotEmpty(layers);
        return layers;
    }

    /// <summary>The folders <paramref name="folder"/> may not use: its own line (but itself) and every line above.</summary>
    public static IReadOnlyList<string> Forbidden(IReadOnlyList<IReadOnlyList<string>> layers, string folder)
    {
        var forbidden = new List<string>();
        foreach (var layer in layers)
        {
            forbidden.AddRange(layer.Where(f => f != folder));
            if (layer.Contains(folder)) return forbidden;
        }
        throw new InvalidOperationException($"The folder \"{folder}\" is not in the layers.");
    }
}
