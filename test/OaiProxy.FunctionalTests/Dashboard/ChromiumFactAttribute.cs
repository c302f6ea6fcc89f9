namespace OaiProxy.FunctionalTests.Dashboard;

/// <summary>
/// A test that needs Debian's chromium. Skipped, saying why, only on a developer machine without it; in CI
/// (<c>CI=true</c>) it runs and fails instead, so a missing browser never passes unnoticed.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/chromium";

    public static string? MissingReason => File.Exists(Path) ? null
        : $"Debian's chromium is not installed ({Path} is missing); scripts/test.sh installs it (apt-get install chromium).";

    public ChromiumFactAttribute()
    {
        if (MissingReason is { } reason && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Skip = reason;
    }
}
