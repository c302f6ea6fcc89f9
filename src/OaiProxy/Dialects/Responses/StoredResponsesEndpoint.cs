using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OaiProxy.Auth;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Runtime;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// <c>GET</c> and <c>DELETE /responses/{id}</c> and <c>GET /responses/{id}/input_items</c>: the caller's own stored
/// responses; another key's (or an expired one) is a 404 that says nothing more.
/// </summary>
internal sealed class StoredResponsesEndpoint(ProxyRuntime runtime, IResponseStore store)
{
    public async Task GetAsync(HttpContext context, string id)
    {
        if (await OwnerAsync(context) is not { } owner) return;
        if (await store.FindAsync(id, owner, context.RequestAborted) is not { } response)
        {
            await NotFoundAsync(context, id);
            return;
        }
        await ResponseWriter.WriteJsonAsync(context, System.Text.Encoding.UTF8.GetBytes(response.Response));
    }

    public async Task DeleteAsync(HttpContext context, string id)
    {
        if (await OwnerAsync(context) is not { } owner) return;
        if (!await store.DeleteAsync(id, owner, context.RequestAborted))
        {
            await NotFoundAsync(context, id);
            return;
        }
        await ResponseWriter.WriteJsonAsync(context, Json(w =>
        {
            w.WriteString("id"u8, id);
            w.WriteString("object"u8, "response.deleted"u8);
            w.WriteBoolean("deleted"u8, true);
        }));
    }

    /// <summary>The request's input items, newest first by default, paged with <c>limit</c> (1 to 100, default 20), <c>order</c> and <c>after</c>.</summary>
    public async Task InputItemsAsync(HttpContext context, string id)
    {
        if (await OwnerAsync(context) is not { } owner) return;
        if (await store.FindAsync(id, owner, context.RequestAborted) is not { } response)
        {
            await NotFoundAsync(context, id);
            return;
        }
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 100) : 20;
        IEnumerable<StoredItem> items = query["order"] == "asc" ? response.Input : response.Input.Reverse();
        if (query["after"].ToString() is { Length: > 0 } after) items = items.SkipWhile(i => i.Id != after).Skip(1);
        var page = items.Take(limit + 1).ToList();
        var more = page.Count > limit;
        if (more) page.RemoveAt(limit);
        await ResponseWriter.WriteJsonAsync(context, Json(w =>
        {
            w.WriteString("object"u8, "list"u8);
            w.WriteStartArray("data"u8);
            foreach (var item in page) WriteItem(w, item);
            w.WriteEndArray();
            if (page.Count > 0) w.WriteString("first_id"u8, page[0].Id);
            else w.WriteNull("first_id"u8);
            if (page.Count > 0) w.WriteString("last_id"u8, page[^1].Id);
            else w.WriteNull("last_id"u8);
            w.WriteBoolean("has_more"u8, more);
        }));
    }

    /// <summary>The Responses WebSocket transport is not served: refused at once, so clients fall back to HTTP streaming.</summary>
    public static Task RefuseWebSocketAsync(HttpContext context)
    {
        var upgrade = context.WebSockets.IsWebSocketRequest;
        return ResponseWriter.WriteErrorAsync(context, new ProxyError(upgrade ? 426 : 405, ErrorTypes.InvalidRequest, "unsupported_transport", upgrade
            ? "The Responses API WebSocket transport is not served by this proxy; send POST /responses with stream set to true."
            : "Use POST /responses to create a response, or GET /responses/{id} to read a stored one."));
    }

    /// <summary>
    /// Remote compaction (Codex's built-in OpenAI provider) is not served: a clear 400, after which Codex reports it;
    /// a custom <c>[model_providers]</c> entry compacts locally and never calls this.
    /// </summary>
    public static Task RefuseCompactionAsync(HttpContext context) =>
        ResponseWriter.WriteErrorAsync(context, ProxyError.BadRequest(
            "Remote compaction (POST /responses/compact) is not served by this proxy; point Codex at it with a custom [model_providers] entry, which compacts the conversation locally.",
            code: "unsupported_endpoint"));

    private static void WriteItem(Utf8JsonWriter w, StoredItem item)
    {
        using var document = JsonDocument.Parse(item.Json);
        if (document.RootElement.TryGetProperty("id", out _))
        {
            document.RootElement.WriteTo(w);
            return;
        }
        // Items the client sent without an id are listed under the id they were stored with.
        w.WriteStartObject();
        w.WriteString("id"u8, item.Id);
        foreach (var property in document.RootElement.EnumerateObject()) property.WriteTo(w);
        w.WriteEndObject();
    }

    private async Task<string?> OwnerAsync(HttpContext context)
    {
        await using var lease = runtime.Lease();
        var state = lease.State;
        var key = ApiKeyExtractor.FromHeaders(context.Request.Headers);
        var (auth, _, error) = await Authentication.AuthenticateAsync(key, state, context.RequestAborted);
        if (error is not null)
        {
            await ResponseWriter.WriteErrorAsync(context, error);
            return null;
        }
        return ResponseOwner.Of(auth!, state.KeyIds.Compute(key!));
    }

    private static Task NotFoundAsync(HttpContext context, string id) =>
        ResponseWriter.WriteErrorAsync(context, new ProxyError(404, ErrorTypes.InvalidRequest, "response_not_found",
            $"Response with id \"{id}\" not found. It may have expired, been deleted, been made with store set to false, or belong to another key.", "id"));

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
