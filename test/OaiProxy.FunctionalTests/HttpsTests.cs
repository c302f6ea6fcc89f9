using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests;

public sealed class HttpsTests
{
    [Fact]
    public async Task SslKeyAndCertFiles_ServeHttps()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var directory = Directory.CreateTempSubdirectory("oaiproxy-tls").FullName;
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "key.pem"), rsa.ExportPkcs8PrivateKeyPem());
        var config = $"""
            host = "127.0.0.1"
            port = 0
            ssl_certfile = "{Path.Combine(directory, "cert.pem")}"
            ssl_keyfile = "{Path.Combine(directory, "key.pem")}"
            """ + "\n" + ProxyFixture.DefaultConfig(upstream);
        await using var proxy = await ProxyTestServer.StartAsync(config);

        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert!.Thumbprint == certificate.Thumbprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(proxy.Address.ToString().Replace("http://", "https://", StringComparison.Ordinal)) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ProxyFixture.ClientKey);
        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hello from gpt-4o!", await response.Content.ReadAsStringAsync());
        Directory.Delete(directory, recursive: true);
    }
}
