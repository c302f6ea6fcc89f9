namespace OaiProxy.Configuration;

/// <summary>One problem found in a config file: where it is and what to do about it.</summary>
/// <param name="Path">Key path such as <c>routing."gpt*"</c>.</param>
/// <param name="Message">A whole sentence with the fix.</param>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => string.IsNullOrEmpty(Path) ? Message : $"{Path}: {Message}";
}
