using System.Security.Cryptography;
using System.Text.Json;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Gemini;

/// <summary>The fields of a Google service-account key file the proxy needs to sign its token requests.</summary>
internal sealed record GoogleServiceAccount(string ClientEmail, string PrivateKeyPem, string? PrivateKeyId, string? ProjectId, string? TokenUri)
{
    public const string DefaultTokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>Parses a key file's JSON; the error is a whole sentence naming what is wrong.</summary>
    public static (GoogleServiceAccount? Account, string? Error) Parse(string json)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json);
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, $"The service account is not valid JSON ({e.Message}); use the key file downloaded from the Google Cloud console.");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "The service account must be a JSON object; use the key file downloaded from the Google Cloud console.");
        }
        if (JsonFields.String(root, "type") is { } type && type != "service_account")
        {
            return (null, $"The credentials have type \"{type}\", not \"service_account\"; create a service-account key in the Google Cloud console.");
        }
        var email = JsonFields.String(root, "client_email");
        var key = JsonFields.String(root, "private_key");
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(key))
        {
            return (null, "The service account lacks \"client_email\" or \"private_key\"; use the complete key file downloaded from the Google Cloud console.");
        }
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(key);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return (null, $"The service account's \"private_key\" is not a valid RSA key in PEM form ({e.Message}); download a new key file.");
        }
        return (new GoogleServiceAccount(email, key, JsonFields.String(root, "private_key_id"), JsonFields.String(root, "project_id"), JsonFields.String(root, "token_uri")), null);
    }
}
