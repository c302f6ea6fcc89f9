using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OaiProxy.Endpoints;
using OaiProxy.Errors;

namespace OaiProxy.Storage.Admin;

/// <summary>Reads admin request bodies (a JSON object, at most 1 MiB) and writes JSON answers.</summary>
internal static class AdminJson
{
    private const long MaxBody = 1024 * 1024;

    /// <summary>The body as an object; an empty body reads as <c>{}</c>. Null with an error otherwise.</summary>
    public static async Task<(JsonObject? Body, ProxyError? Error)> ReadAsync(HttpContext context)
    {
        var bytes = await ModuleEndpoints.ReadBodyAsync(context, MaxBody);
        if (bytes is null) return (null, new ProxyError(413, ErrorTypes.InvalidRequest, ErrorCodes.BodyTooLarge, "The request body is larger than 1 MiB."));
        if (bytes.Length == 0) return (new JsonObject(), null);
        try
        {
            return JsonNode.Parse(bytes) is JsonObject body
                ? (body, null)
                : (null, ProxyError.BadRequest("The request body must be a JSON object.", null, ErrorCodes.InvalidJson));
        }
        catch (JsonException e)
        {
            return (null, ProxyError.BadRequest($"The request body is not valid JSON: {e.Message}", null, ErrorCodes.InvalidJson));
        }
    }

    public static Task WriteAsync(HttpContext context, JsonNode json, int status = 200)
    {
        context.Response.StatusCode = status;
        return ModuleEndpoints.WriteJsonAsync(context, Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    public static Task NotFoundAsync(HttpContext context, string id) => ModuleEndpoints.WriteErrorAsync(context,
        new ProxyError(404, ErrorTypes.InvalidRequest, "key_not_found", $"There is no key \"{id}\"; list the keys with GET /admin/keys."));
}
