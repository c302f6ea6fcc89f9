using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OaiProxy.Providers.Gemini;

/// <summary>Builds the RS256-signed JWT a service account presents to Google's token endpoint (RFC 7523).</summary>
internal static class GoogleJwt
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    /// <summary>Lifetime asked for; Google caps access tokens at one hour.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static string CreateAssertion(GoogleServiceAccount account, RSA key, string audience, DateTimeOffset now)
    {
        var header = Encode(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
            if (account.PrivateKeyId is not null) writer.WriteString("kid", account.PrivateKeyId);
        });
        var issuedAt = now.ToUnixTimeSeconds();
        var claims = Encode(writer =>
        {
            writer.WriteString("iss", account.ClientEmail);
            writer.WriteString("scope", CloudPlatformScope);
            writer.WriteString("aud", audience);
            writer.WriteNumber("iat", issuedAt);
            writer.WriteNumber("exp", issuedAt + (long)Lifetime.TotalSeconds);
        });
        var signingInput = header + "." + claims;
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Encode(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }
}
