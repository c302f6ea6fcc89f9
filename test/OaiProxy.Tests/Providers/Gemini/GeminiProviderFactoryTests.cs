using System.Text.Json.Nodes;
using OaiProxy.Configuration;
using OaiProxy.Providers;
using OaiProxy.Providers.Gemini;
using OaiProxy.Testing.Gemini;

namespace OaiProxy.Tests.Providers.Gemini;

public sealed class GeminiProviderFactoryTests : IDisposable
{
    private readonly TestServiceAccount _account = new("https://oauth2.test/token");
    private readonly string _directory = Directory.CreateTempSubdirectory("oaiproxy-gemini-").FullName;

    private static ProxyConfig Load(JsonObject connection)
    {
        var document = new JsonObject
        {
            ["connections"] = new JsonObject { ["g"] = connection },
            ["routing"] = new JsonObject { ["*"] = "g.*" },
        };
        return ConfigLoader.LoadDocument(document, new ProviderRegistry([new GeminiProviderFactory()]));
    }

    private static IReadOnlyList<ConfigError> Errors(JsonObject connection) =>
        Assert.Throws<ConfigException>(() => Load(connection)).Errors;

    private JsonObject Vertex(string? accountJson = null, string? project = null)
    {
        var connection = new JsonObject
        {
            ["api_type"] = "google_vertex_ai",
            ["google_cloud_service_account_json"] = accountJson ?? _account.Json,
        };
        if (project is not null) connection["google_cloud_project_id"] = project;
        return connection;
    }

    [Fact]
    public void Vertex_ValidKeyFile_ReadsProjectTokenUrlAndLocation()
    {
        var path = _account.WriteFile(_directory);

        var config = Load(new JsonObject
        {
            ["api_type"] = "google_vertex_ai",
            ["google_cloud_service_account"] = path,
            ["google_cloud_location"] = "global",
            ["google_cloud_token_url"] = "http://127.0.0.1:9/token",
        });

        var settings = Assert.IsType<GeminiSettings>(Assert.Single(config.Connections).ProviderSettings);
        Assert.True(settings.Vertex);
        Assert.Equal("test-project", settings.ProjectId);
        Assert.Equal("global", settings.Location);
        Assert.Equal("http://127.0.0.1:9/token", settings.TokenUrl);
        Assert.Equal(_account.ClientEmail, settings.ServiceAccount!.ClientEmail);
        Assert.Null(config.Connections[0].ApiBase);
    }

    [Fact]
    public void Vertex_DefaultTokenUrl_IsTheKeyFilesTokenUri() =>
        Assert.Equal("https://oauth2.test/token", ((GeminiSettings)Load(Vertex()).Connections[0].ProviderSettings!).TokenUrl);

    [Fact]
    public void Vertex_MissingFile_IsReportedAtItsKey()
    {
        var error = Assert.Single(Errors(new JsonObject { ["api_type"] = "google_vertex_ai", ["google_cloud_service_account"] = Path.Combine(_directory, "nope.json") }));

        Assert.Equal("connections.g.google_cloud_service_account", error.Path);
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""{"type":"authorized_user","client_email":"a","private_key":"b"}""", "service_account")]
    [InlineData("""{"type":"service_account","client_email":"a@b"}""", "private_key")]
    [InlineData("""{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}""", "not a valid RSA key")]
    public void Vertex_BadServiceAccountJson_IsReportedAtItsKey(string json, string expected)
    {
        var error = Assert.Single(Errors(Vertex(json, project: "p")));

        Assert.Equal("connections.g.google_cloud_service_account_json", error.Path);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vertex_NoProjectAnywhere_IsReported()
    {
        var json = JsonNode.Parse(_account.Json)!.AsObject();
        json.Remove("project_id");

        var error = Assert.Single(Errors(Vertex(json.ToJsonString())));

        Assert.Equal("connections.g.google_cloud_project_id", error.Path);
    }

    [Fact]
    public void Vertex_BothOrNeitherCredentialKeys_IsReported()
    {
        var both = Vertex();
        both["google_cloud_service_account"] = "x.json";

        Assert.Contains(Errors(both), e => e.Path == "connections.g.google_cloud_service_account" && e.Message.Contains("exactly one", StringComparison.Ordinal));
        Assert.Contains(Errors(new JsonObject { ["api_type"] = "google_vertex_ai", ["google_cloud_project_id"] = "p" }),
            e => e.Path == "connections.g.google_cloud_service_account");
    }

    [Fact]
    public void Vertex_BadLocationAndMisspelledKey_AreBothReported()
    {
        var connection = Vertex();
        connection["google_cloud_location"] = "us central";
        connection["google_cloud_projet_id"] = "p";

        var errors = Errors(connection);

        Assert.Contains(errors, e => e.Path == "connections.g.google_cloud_location");
        Assert.Contains(errors, e => e.Path == "connections.g.google_cloud_projet_id");
    }

    [Fact]
    public void AiStudio_WithoutApiKey_IsAWarning() =>
        Assert.Equal("connections.g.api_key", Assert.Single(Load(new JsonObject { ["api_type"] = "google" }).Warnings).Path);

    [Fact]
    public void AiStudio_Defaults_ArePublicEndpointAndGuardedImages()
    {
        var connection = Assert.Single(Load(new JsonObject { ["api_type"] = "google_ai_studio", ["api_key"] = "k" }).Connections);
        var settings = (GeminiSettings)connection.ProviderSettings!;

        Assert.Equal("https://generativelanguage.googleapis.com", connection.ApiBase);
        Assert.False(settings.AllowPrivateImageUrls);
        Assert.False(settings.AllowHttpImageUrls);
        Assert.Equal(20 * 1024 * 1024, settings.MaxImageBytes);
        Assert.Equal(16, settings.MaxImagesPerRequest);
        Assert.Equal(50 * 1024 * 1024, settings.MaxImageBytesPerRequest);
        Assert.Equal(100 * 1024 * 1024, settings.MaxUpstreamRequestBytes);
    }

    [Theory]
    [InlineData("gemini-2.5-flash", "models/gemini-2.5-flash")]
    [InlineData("models/gemini-2.5-flash", "models/gemini-2.5-flash")]
    [InlineData("tunedModels/my-model", "tunedModels/my-model")]
    [InlineData("../../etc", "models/..%2F..%2Fetc")]
    public void ModelResource_AcceptsBareAndPrefixedIds(string model, string expected) =>
        Assert.Equal(expected, GeminiProvider.ModelResource(model));

    [Fact]
    public void ParseModelPage_StripsPrefixKeepsGenerateContentAndReturnsToken()
    {
        var ids = new List<string>();

        var next = GeminiProvider.ParseModelPage(System.Text.Encoding.UTF8.GetBytes("""
            {"models":[{"name":"models/gemini-2.5-flash","supportedGenerationMethods":["generateContent","countTokens"]},
                       {"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]}],"nextPageToken":"p2"}
            """), ids, "g");

        Assert.Equal(["gemini-2.5-flash"], ids);
        Assert.Equal("p2", next);
    }

    public void Dispose()
    {
        _account.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
