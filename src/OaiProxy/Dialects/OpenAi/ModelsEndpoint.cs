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
/// stored key, its own <c>models</c> and <c>connections</c>. Codex's model refresh (<c>?client_version=</c>) also gets
/// its own catalog, a <c>models</c> array beside <c>data</c>, from the operator's <c>model_info.*.codex</c> tables.
/// </summary>
internal sealed class ModelsEndpoint(ProxyRuntime runtime, TimeProvider time)
{
    private const string CodexClientVersion = "client_version";

    private const string CodexInfo = "codex";

    private readonly long _created = time.GetUtcNow().ToUnixTimeSeconds();

    public async Task ListAsync(HttpContext context)
    {
        await using var lease = runtime.Lease();
        var state = lease.State;
        if (await AuthorizeAsync(context, state) is not { } caller) return;
        var models = await state.Models.ListAsync(caller.Group, caller.Auth, time, context.RequestAborted);
        var data = new JsonArray(models.Select(m => (JsonNode)Entry(state.Config, m.Id, m.OwnedBy)).ToArray());
        var list = new JsonObject { ["object"] = "list", ["data"] = data };
        if (context.Request.Query.ContainsKey(CodexClientVersion)) list["models"] = CodexCatalog(state.Config, models.Select(m => m.Id));
        await ResponseWriter.WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(list, ProxyJsonContext.Default.JsonObject));
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
            foreach (var (key, value) in info.Where(p => p.Key != CodexInfo)) entry[key] = value?.DeepClone();
        }
        return entry;
    }

    // Codex parses the whole catalog or none of it, and an entry replaces its built-in metadata for that slug (its
    // base instructions included), so only models the operator described are listed; an empty array keeps Codex's
    // defaults for every model instead of logging a failed refresh.
    private static JsonArray CodexCatalog(ProxyConfig config, IEnumerable<string> ids)
    {
        var catalog = new JsonArray();
        foreach (var id in ids)
        {
            if (!config.ModelInfo.TryGetValue(id, out var info) || info[CodexInfo] is not JsonObject codex) continue;
            var entry = (JsonObject)codex.DeepClone();
            entry["slug"] ??= id;
            entry["display_name"] ??= id;
            catalog.Add((JsonNode)entry);
        }
        return catalog;
    }


    private static async Task<(GroupConfig Group, AuthResult Auth)?> AuthorizeAsync(HttpContext context, ProxyState state)
    {
        if (!state.Config.Enabled)
        {
            await ResponseWriter.WriteErrorAsync(context, Authentication.Disabled());
            return null;
        }
        var (auth, group, error) = await Authentication.AuthenticateAsync(ApiKeyExtractor.FromHeaders(context.Request.Headers), state, context.RequestAborted);
        if (error is not null)
        {
            await ResponseWriter.WriteErrorAsync(context, error);
            return null;
        }
        return (group!, auth!);
    }
}
