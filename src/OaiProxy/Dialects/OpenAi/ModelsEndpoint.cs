using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Runtime;

namespace OaiProxy.Dialects.OpenAi;

/// <summary><c>GET /models</c> and <c>GET /models/{id}</c>, filtered to what the caller's group may use.</summary>
internal sealed class ModelsEndpoint(ProxyRuntime runtime, TimeProvider time)
{
    private readonly long _created = time.GetUtcNow().ToUnixTimeSeconds();

    public async Task ListAsync(HttpContext context)
    {
        await using var lease = runtime.Lease();
        var state = lease.State;
        var group = await AuthorizeAsync(context, state);
        if (group is null) return;
        var models = await state.Models.ListAsync(group, time, context.RequestAborted);
        var data = new JsonArray(models.Select(m => (JsonNode)Entry(state.Config, m.Id, m.OwnedBy)).ToArray());
        await ResponseWriter.WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(
            new JsonObject { ["object"] = "list", ["data"] = data }, ProxyJsonContext.Default.JsonObject));
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        await using var lease = runtime.Lease();
        var state = lease.State;
        var group = await AuthorizeAsync(context, state);
        if (group is null) return;
        var route = state.Router.Match(id);
        var owner = route is null ? null : Enumerable.Range(0, route.Connections.Count).Where(i => route.IsAllowed(i, group)).Select(i => route.Connections[i]).FirstOrDefault();
        if (owner is null)
        {
            await ResponseWriter.WriteErrorAsync(context, ProxyError.ModelNotFound(id));
            return;
        }
        await ResponseWriter.WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(
            Entry(state.Config, id, owner.Name), ProxyJsonContext.Default.JsonObject));
    }

    private JsonObject Entry(ProxyConfig config, string id, string ownedBy)
    {
        var entry = new JsonObject { ["id"] = id, ["object"] = "model", ["created"] = _created, ["owned_by"] = ownedBy };
        if (config.ModelInfo.TryGetValue(id, out var info))
        {
            foreach (var (key, value) in info) entry[key] = value?.DeepClone();
        }
        return entry;
    }

    private static async Task<GroupConfig?> AuthorizeAsync(HttpContext context, ProxyState state)
    {
        if (!state.Config.Enabled)
        {
            await ResponseWriter.WriteErrorAsync(context, new ProxyError(503, ErrorTypes.Unavailable, ErrorCodes.ProxyDisabled, "The proxy is disabled by its configuration (enabled = false)."));
            return null;
        }
        var key = ApiKeyExtractor.FromHeaders(context.Request.Headers);
        var auth = key is null ? null : await state.Validator.ValidateAsync(key, context.RequestAborted);
        if (auth is null)
        {
            await ResponseWriter.WriteErrorAsync(context, ProxyError.InvalidApiKey(key is null
                ? "No API key was sent. Send your virtual key as \"Authorization: Bearer KEY\"."
                : "The API key is not valid. Check the key, or ask the proxy operator for one."));
            return null;
        }
        return state.Group(auth.Group);
    }
}
