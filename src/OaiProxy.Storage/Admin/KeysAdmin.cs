using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OaiProxy.Endpoints;
using OaiProxy.Errors;
using OaiProxy.Runtime;
using OaiProxy.Storage.Keys;
using OaiProxy.Storage.Usage;

namespace OaiProxy.Storage.Admin;

/// <summary>The <c>/admin/keys</c> handlers. Each change is in force on this instance when the answer is sent.</summary>
internal sealed class KeysAdmin(StorageService storage, IActiveConfig runtime, TimeProvider time)
{
    private static readonly TimeSpan MaxGrace = TimeSpan.FromDays(30);

    private KeyStore Store => storage.Keys!;

    public async Task CreateAsync(HttpContext context)
    {
        var (body, error) = await AdminJson.ReadAsync(context);
        var fields = body is null ? null : KeyFieldsReader.Read(body, runtime.Current, out error);
        if (error is not null)
        {
            await ModuleEndpoints.WriteErrorAsync(context, error);
            return;
        }
        var created = await Store.CreateAsync(fields!, context.RequestAborted);
        await storage.Cache.InForceAsync(context.RequestAborted);
        await AdminJson.WriteAsync(context, KeyJson.Write(created.Key, time.GetUtcNow(), created.Secret), 201);
    }

    public async Task ListAsync(HttpContext context)
    {
        var keys = await Store.ListAsync(context.RequestAborted);
        await AdminJson.WriteAsync(context, new JsonObject { ["object"] = "list", ["data"] = new JsonArray([.. await WithUsageAsync(keys, context)]) });
    }

    public async Task GetAsync(HttpContext context, string id)
    {
        if (await Store.GetAsync(id, context.RequestAborted) is { } key) await AdminJson.WriteAsync(context, (await WithUsageAsync([key], context))[0]);
        else await AdminJson.NotFoundAsync(context, id);
    }

    private async Task<JsonNode[]> WithUsageAsync(IReadOnlyList<StoredKey> keys, HttpContext context)
    {
        var now = time.GetUtcNow();
        var spend = await KeySpendQuery.RunAsync(Store.Database, keys, now, context.RequestAborted);
        return [.. keys.Select(k => (JsonNode)KeyJson.WithUsage(KeyJson.Write(k, now), spend[k.Id]))];
    }

    public async Task UpdateAsync(HttpContext context, string id)
    {
        var (body, error) = await AdminJson.ReadAsync(context);
        var fields = body is null ? null : KeyFieldsReader.Read(body, runtime.Current, out error);
        if (error is not null)
        {
            await ModuleEndpoints.WriteErrorAsync(context, error);
            return;
        }
        var key = await Store.UpdateAsync(id, fields!, context.RequestAborted);
        await storage.Cache.InForceAsync(context.RequestAborted);
        if (key is null) await AdminJson.NotFoundAsync(context, id);
        else await AdminJson.WriteAsync(context, KeyJson.Write(key, time.GetUtcNow()));
    }

    public async Task RevokeAsync(HttpContext context, string id)
    {
        var key = await Store.RevokeAsync(id, context.RequestAborted);
        await storage.Cache.InForceAsync(context.RequestAborted);
        if (key is null) await AdminJson.NotFoundAsync(context, id);
        else await AdminJson.WriteAsync(context, KeyJson.Write(key, time.GetUtcNow()));
    }

    public async Task RotateAsync(HttpContext context, string id)
    {
        var (body, error) = await AdminJson.ReadAsync(context);
        var grace = KeyStore.DefaultGracePeriod;
        if (body is not null)
        {
            foreach (var (name, value) in body)
            {
                if (name == "grace_period" && value is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
                    v.GetValue<double>() is >= 0 and var seconds && seconds <= MaxGrace.TotalSeconds)
                {
                    grace = TimeSpan.FromSeconds(seconds);
                }
                else
                {
                    error = ProxyError.BadRequest("The rotate body takes only \"grace_period\": seconds the old secret keeps working (0 to 2592000, default 86400).", name);
                }
            }
        }
        if (error is not null)
        {
            await ModuleEndpoints.WriteErrorAsync(context, error);
            return;
        }
        var rotated = await Store.RotateAsync(id, grace, context.RequestAborted);
        await storage.Cache.InForceAsync(context.RequestAborted);
        if (rotated is null)
        {
            await ModuleEndpoints.WriteErrorAsync(context, new ProxyError(404, ErrorTypes.InvalidRequest, "key_not_found",
                $"There is no active key \"{id}\" to rotate; a revoked key cannot be rotated, create a new one."));
            return;
        }
        await AdminJson.WriteAsync(context, KeyJson.Write(rotated.Key, time.GetUtcNow(), rotated.Secret));
    }
}
