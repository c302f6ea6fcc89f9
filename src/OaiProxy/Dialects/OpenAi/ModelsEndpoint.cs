using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Runtime;

namespace OaiProxy.Dialects.OpenAi;

/// <summary>
/// <c>GET /models</c> and <c>GET /models/{id}</c>: what the caller may use, by its group's connections and, for a
/// stored key, its own <c>models</c> and <c>connections</c>.
/// </summary>
internal sealed class ModelsEndpoint(ProxyRuntime runtime, TimeProvider time)
{
    private readonly long _created = time.GetUtcNow().ToUnixTimeSeconds();

    public async Task ListAsync(HttpContext context)
    {
        await using var lease = runtime.Lease();
        var state = lease.State;
        if (await AuthorizeAsync(context, state) is not { } caller) return;
        var models = await state.Models.ListAsync(caller.Group, caller.Auth, time, context.RequestAborted);
        var data = new JsonArray(models.Select(m => (JsonNode)Entry(state.Config, m.Id, m.OwnedBy)).ToArray());
        await ResponseWriter.WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(
            new JsonObject { ["object"] = "list", ["data"] = data }, ProxyJsonContext.Default.JsonObject));
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        await using var lease = runtime.Lease();
        var state = lease.State;
        if (await AuthorizeAsync(context, state) is not { } caller) return;
        var route = KeyRestrictions.AllowsModel(caller.Auth, id) ? state.Router.Match(id) : null;
        var owner = route is null
            ? null
            : Enumerable.Range(0, route.Connections.Count).Where(i => ModelCatalog.IsUsable(route, i, caller.Group, caller.Auth))
                .Select(i => route.Connections[i]).FirstOrDefault();
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

    private static async Task<(GroupConfig Group, AuthResult Auth)?> AuthorizeAsync(HttpContext context, ProxyState state)
    {
        if (!state.Config.Enabled)
        {
            await ResponseWriter.WriteErrorAsync(context, Authentication.Disabled());
            return null;
        }
        var (auth, error) = await Authentication.AuthenticateAsync(ApiKeyExtractor.FromHeaders(context.Request.Headers), state, context.RequestAborted);
        if (error is not null)
        {
            await ResponseWriter.WriteErrorAsync(context, error);
            return null;
        }
        return (state.Group(auth!.Group), auth);
    }
}
