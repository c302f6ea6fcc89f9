using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;

namespace OaiProxy.Limits;

/// <summary>
/// The one answer to how many output tokens a target's upstream is asked for, which is what the limits reserve: the
/// first of <c>max_completion_tokens</c>, <c>max_tokens</c>, <c>max_output_tokens</c> in the body the target gets
/// (the route's overrides, else the client's, else the connection's <c>default_args</c>, which only fill what the
/// client left out), else the cap the provider sends itself (<see cref="IProvider.DefaultMaxTokens"/>, such as
/// Anthropic's family default), else null: nothing caps that upstream, so a reservation cannot bound it.
/// </summary>
internal static class OutputCap
{
    private static readonly string[] Fields = ["max_completion_tokens", "max_tokens", "max_output_tokens"];

    public static long? Of(RequestBody body, RouteTarget target, IProvider provider)
    {
        foreach (var name in Fields)
        {
            if ((FromNode(target.Overrides, name) ?? FromBody(body.Root, name) ?? FromNode(target.Connection.DefaultArgs, name)) is { } cap) return cap;
        }
        return provider.DefaultMaxTokens(target.UpstreamModel);
    }

    private static long? FromBody(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var cap) && cap > 0 ? cap : null;

    private static long? FromNode(JsonObject? fields, string name)
    {
        // Config values and overrides hold numbers of several CLR types; their JSON text is the one form they share.
        if (fields?[name] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return null;
        return long.TryParse(value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var cap) && cap > 0 ? cap : null;
    }
}
