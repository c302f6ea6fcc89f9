using System.CommandLine;
using System.Globalization;
using OaiProxy.Configuration;
using OaiProxy.Hosting;
using OaiProxy.Storage;
using OaiProxy.Storage.Keys;

namespace OaiProxy.Server;

/// <summary>
/// <c>oai-proxy keys create|list|revoke|rotate --config PATH</c>: manages stored keys directly in the config's
/// database (running proxies pick changes up within a second). A created or rotated secret is printed once, to stdout.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "Config file naming the database.", DefaultValueFactory = _ => "config.toml", Recursive = true };
        var env = new Option<string?>("--env") { Description = "The .env file to load.", Recursive = true };
        var keys = new Command("keys", "Manage stored virtual keys.") { config, env };

        var name = new Option<string>("--name") { Description = "A name for people.", DefaultValueFactory = _ => "" };
        var group = new Option<string>("--group") { Description = "The config group the key belongs to.", DefaultValueFactory = _ => "default" };
        var models = new Option<string?>("--models") { Description = "Comma-separated model globs the key may use (default: all of its group's)." };
        var connections = new Option<string?>("--connections") { Description = "Comma-separated connections the key may use." };
        var expires = new Option<DateTimeOffset?>("--expires-at") { Description = "When the key stops working (ISO 8601)." };
        var rpm = new Option<long?>("--rpm") { Description = "Requests per minute." };
        var tpm = new Option<long?>("--tpm") { Description = "Tokens per minute." };
        var parallel = new Option<int?>("--max-parallel") { Description = "Requests in flight at once." };
        var budget = new Option<decimal?>("--budget") { Description = "Spend limit in USD." };
        var period = new Option<string>("--budget-period") { Description = "daily, monthly or total.", DefaultValueFactory = _ => "total" };
        var create = new Command("create", "Create a key and print its secret (shown only this once).") { name, group, models, connections, expires, rpm, tpm, parallel, budget, period };
        create.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, parse.GetValue(env), async store =>
        {
            var fields = new KeyFields { Name = parse.GetValue(name), Group = parse.GetValue(group) };
            if (parse.GetValue(models) is { } m) fields.Models = Split(m);
            if (parse.GetValue(connections) is { } c) fields.Connections = Split(c);
            if (parse.GetValue(expires) is { } e) fields.ExpiresAt = e;
            if (parse.GetValue(rpm) is { } r) fields.Rpm = r;
            if (parse.GetValue(tpm) is { } t) fields.Tpm = t;
            if (parse.GetValue(parallel) is { } p) fields.MaxParallel = p;
            if (parse.GetValue(budget) is { } b) fields.Budget = new BudgetConfig(b, parse.GetValue(period)!);
            var created = await store.CreateAsync(fields, ct);
            Console.WriteLine($"id:  {created.Key.Id}");
            Console.WriteLine($"key: {created.Secret}");
            await Console.Error.WriteLineAsync("Store the key now: it cannot be shown again.");
            return 0;
        }));

        var list = new Command("list", "List the stored keys (never their secrets).");
        list.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, parse.GetValue(env), async store =>
        {
            var now = TimeProvider.System.GetUtcNow();
            Console.WriteLine($"{"ID",-20} {"NAME",-20} {"GROUP",-12} {"STATUS",-8} {"CREATED",-20} HINT");
            foreach (var key in await store.ListAsync(ct))
            {
                var status = key.RevokedAt is not null ? "revoked" : key.IsActive(now) ? "active" : "expired";
                var hint = key.Secrets.Count > 0 ? key.Secrets[^1].Hint : "";
                Console.WriteLine($"{key.Id,-20} {key.Name,-20} {key.Group,-12} {status,-8} {key.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),-20} {hint}");
            }
            return 0;
        }));

        var id = new Argument<string>("id") { Description = "The key's id (key_...)." };
        var revoke = new Command("revoke", "Revoke a key: it stops working everywhere within a second.") { id };
        revoke.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, parse.GetValue(env), async store =>
            await store.RevokeAsync(parse.GetValue(id)!, ct) is null ? NotFound(parse.GetValue(id)!) : 0));

        var grace = new Option<double>("--grace") { Description = "Seconds the old secret keeps working.", DefaultValueFactory = _ => KeyStore.DefaultGracePeriod.TotalSeconds };
        var rotate = new Command("rotate", "Give a key a new secret (printed once); the old one works for the grace period.") { id, grace };
        rotate.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, parse.GetValue(env), async store =>
        {
            var rotated = await store.RotateAsync(parse.GetValue(id)!, TimeSpan.FromSeconds(parse.GetValue(grace)), ct);
            if (rotated is null) return NotFound(parse.GetValue(id)!);
            Console.WriteLine($"id:  {rotated.Key.Id}");
            Console.WriteLine($"key: {rotated.Secret}");
            return 0;
        }));

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(revoke);
        keys.Subcommands.Add(rotate);
        return keys;
    }

    private static List<string> Split(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int NotFound(string id)
    {
        Console.Error.WriteLine($"There is no active key \"{id}\"; see \"oai-proxy keys list\".");
        return 1;
    }

    private static async Task<int> RunAsync(string configPath, string? envFile, Func<KeyStore, Task<int>> action)
    {
        try
        {
            // The same provider registry the server builds, so every api_type of the config is known.
            await using var services = new ServiceCollection().AddLogging().AddOaiProxy(o => o.ConfigPath = configPath).BuildServiceProvider();
            var config = ConfigLoader.LoadFile(configPath, services.GetRequiredService<IConnectionTypes>(), envFile);
            var store = await KeyStore.OpenAsync(config, CancellationToken.None);
            await using (store.Database)
            {
                return await action(store);
            }
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (StorageException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 3;
        }
    }
}
