using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary><c>oai-proxy keys create|list|rotate|revoke</c> on the config's (SQLite) database.</summary>
[Trait("Category", ServerProcess.Category)]
public sealed partial class KeysCliTests
{
    [Fact]
    public async Task Keys_CreateListRotateRevoke_PrintTheSecretOnlyWhenMade()
    {
        var directory = Directory.CreateTempSubdirectory("oaiproxy-keys").FullName;
        var config = Path.Combine(directory, "config.toml");
        await File.WriteAllTextAsync(config, "[connections.openai]\napi_type = \"open_ai\"\napi_key = \"x\"\n[routing]\n\"*\" = \"openai.*\"\n");

        var (code, created) = await RunAsync($"keys create --config \"{config}\" --name ci --rpm 5");
        Assert.Equal(0, code);
        var id = IdLine().Match(created).Groups[1].Value;
        var secret = KeyLine().Match(created).Groups[1].Value;
        Assert.StartsWith("sk-oai-", secret, StringComparison.Ordinal);

        var (_, rotated) = await RunAsync($"keys rotate {id} --grace 0 -c \"{config}\"");
        var newSecret = KeyLine().Match(rotated).Groups[1].Value;
        Assert.NotEqual(secret, newSecret);
        Assert.Equal(0, (await RunAsync($"keys revoke {id} -c \"{config}\"")).Code);
        var (_, list) = await RunAsync($"keys list -c \"{config}\"");
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("revoked", list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain(newSecret, list, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"id:\s+(key_[0-9a-f]+)")]
    private static partial Regex IdLine();

    [GeneratedRegex(@"key:\s+(sk-oai-\w+)")]
    private static partial Regex KeyLine();

    private static async Task<(int Code, string Stdout)> RunAsync(string arguments)
    {
        using var process = ServerProcess.Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
