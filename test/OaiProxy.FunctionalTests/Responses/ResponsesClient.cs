using OaiProxy.Testing.Responses;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary><see cref="ResponsesHttpClient"/> with the functional tests' client key.</summary>
internal sealed class ResponsesClient(Uri baseUrl, string key = ProxyFixture.ClientKey) : ResponsesHttpClient(baseUrl, key);
