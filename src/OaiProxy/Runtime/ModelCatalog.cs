using System.Collections.Concurrent;
using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Routing;

namespace OaiProxy.Runtime;

/// <summary>
/// The model list of <c>GET /models</c> for a group, per <c>model_listing_mode</c>. For <c>expand_wildcards</c> each
/// allowed connection's upstream list is fetched in parallel and cached; an upstream that is down contributes its
/// last good list (or nothing) and never fails the answer. A stored key sees only the models and connections it
/// may use itself, within its group's.
/// </summary>
internal sealed class ModelCatalog(ProxyState state)
{
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Models, DateTimeOffset FetchedAt)> _cache = new(StringComparer.Ordinal);

    public sealed record ModelEntry(string Id, string OwnedBy);

    /// <summary>Whether the caller may use the route's <paramref name="index"/>th connection: its group's and its key's rules.</summary>
    public static bool IsUsable(CompiledRoute route, int index, GroupConfig group, AuthResult auth) =>
        route.IsAllowed(index, group) && KeyRestrictions.AllowsConnection(auth, route.Connections[index].Name);

    public async Task<List<ModelEntry>> ListAsync(GroupConfig group, AuthResult auth, TimeProvider time, CancellationToken cancellationToken)
    {
        var config = state.Config;
        var upstream = config.ModelListingMode == ModelListingMode.ExpandWildcards
            ? await FetchAllowedAsync(group, auth, time, cancellationToken)
            : new Dictionary<string, IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ModelEntry>();
        foreach (var route in state.Router.Routes)
        {
            var allowed = Enumerable.Range(0, route.Connections.Count).Where(i => IsUsable(route, i, group, auth)).ToList();
            if (allowed.Count == 0) continue;
            var owner = route.Connections[allowed[0]].Name;
            if (route.Pattern.IsLiteral)
            {
                if (KeyRestrictions.AllowsModel(auth, route.Pattern.Pattern) && seen.Add(route.Pattern.Pattern)) result.Add(new ModelEntry(route.Pattern.Pattern, owner));
                continue;
            }
            if (config.ModelListingMode == ModelListingMode.AsIs)
            {
                foreach (var name in KeyRestrictions.VisiblePatterns(auth, route.Pattern))
                {
                    if (seen.Add(name)) result.Add(new ModelEntry(name, owner));
                }
                continue;
            }
            if (config.ModelListingMode == ModelListingMode.IgnoreWildcards) continue;
            foreach (var index in allowed)
            {
                var connection = route.Connections[index];
                if (!upstream.TryGetValue(connection.Name, out var models)) continue;
                foreach (var model in models)
                {
                    // A later rule could shadow this one for the same name; only list names this rule really serves.
                    if (route.Pattern.IsMatch(model) && state.Router.Match(model) == route && KeyRestrictions.AllowsModel(auth, model) && seen.Add(model))
                    {
                        result.Add(new ModelEntry(model, connection.Name));
                    }
                }
            }
        }
        return result;
    }

    private async Task<Dictionary<string, IReadOnlyList<string>>> FetchAllowedAsync(GroupConfig group, AuthResult auth, TimeProvider time, CancellationToken cancellationToken)
    {
        var names = state.Router.Routes
            .Where(r => !r.Pattern.IsLiteral)
            .SelectMany(r => Enumerable.Range(0, r.Connections.Count).Where(i => IsUsable(r, i, group, auth)).Select(i => r.Connections[i].Name))
            .Distinct()
            .ToList();
        var lists = await Task.WhenAll(names.Select(name => FetchAsync(name, time, cancellationToken)));
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++) result[names[i]] = lists[i];
        return result;
    }

    private async Task<IReadOnlyList<string>> FetchAsync(string connection, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(connection, out var cached) && now - cached.FetchedAt < state.Config.ModelsCacheTtl)
        {
            return cached.Models;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var models = await state.Provider(connection).ListModelsAsync(timeout.Token);
            _cache[connection] = (models, now);
            return models;
        }
        catch (Exception e) when (e is Providers.ProviderException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return cached.Models ?? [];
        }
    }
}
