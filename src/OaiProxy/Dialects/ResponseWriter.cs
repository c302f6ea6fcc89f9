using System.Globalization;
using Microsoft.AspNetCore.Http;
using OaiProxy.Errors;

namespace OaiProxy.Dialects;

/// <summary>Writes JSON bodies, and errors with their status and headers in any dialect's shape (OpenAI's by default).</summary>
internal static class ResponseWriter
{
    public static Task WriteErrorAsync(HttpContext context, ProxyError error) => WriteErrorAsync(context, error, ProxyErrorJson.ToUtf8(error));

    /// <summary>An error whose body the dialect has already shaped: status, <c>Retry-After</c> and the error's own headers.</summary>
    public static Task WriteErrorAsync(HttpContext context, ProxyError error, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        if (error.Headers is not null)
        {
            foreach (var (name, value) in error.Headers) response.Headers[name] = value;
        }
        return WriteJsonAsync(context, body);
    }

    public static Task WriteJsonAsync(HttpContext context, ReadOnlyMemory<byte> json)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        return context.Response.Body.WriteAsync(json, context.RequestAborted).AsTask();
    }
}
