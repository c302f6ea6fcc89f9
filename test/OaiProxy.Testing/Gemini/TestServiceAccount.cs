using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Gemini;

/// <summary>A Google service account generated at runtime (an RSA key made per test run; no key material is ever committed).</summary>
public sealed class TestServiceAccount : IDisposable
{
    // Generating a 2048-bit key takes up to a second on a small machine: one per test process is enough.
    private static readonly Lazy<RSAParameters> SharedKey = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportParameters(includePrivateParameters: true);
    });

    public TestServiceAccount(string tokenUri, string projectId = "test-project", string clientEmail = "proxy@test-project.iam.gserviceaccount.com")
    {
        Key = RSA.Create(SharedKey.Value);
        TokenUri = tokenUri;
        ProjectId = projectId;
        ClientEmail = clientEmail;
        Json = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = projectId,
            ["private_key_id"] = "test-key-1",
            ["private_key"] = Key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = clientEmail,
            ["client_id"] = "1234567890",
            ["token_uri"] = tokenUri,
        }.ToJsonString();
    }

    public RSA Key { get; }

    public string TokenUri { get; }

    public string ProjectId { get; }

    public string ClientEmail { get; }

    /// <summary>The key file's contents, as the Google Cloud console would download it.</summary>
    public string Json { get; }

    /// <summary>Writes the key file into <paramref name="directory"/> and returns its path.</summary>
    public string WriteFile(string directory)
    {
        var path = Path.Combine(directory, "service-account.json");
        File.WriteAllText(path, Json);
        return path;
    }

    public void Dispose() => Key.Dispose();
}
