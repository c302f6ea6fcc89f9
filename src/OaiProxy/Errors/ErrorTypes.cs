namespace OaiProxy.Errors;

/// <summary>The <c>error.type</c> values the proxy answers with, as OpenAI names them.</summary>
public static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string RateLimit = "rate_limit_error";
    public const string Server = "server_error";
    public const string Upstream = "upstream_error";
    public const string Timeout = "timeout_error";
    public const string Unavailable = "service_unavailable";
}
