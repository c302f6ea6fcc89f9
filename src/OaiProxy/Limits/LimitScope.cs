namespace OaiProxy.Limits;

/// <summary>Whose limit a check is, for messages: a key, a group, a connection, or the whole proxy.</summary>
internal sealed record LimitScope(string Kind, string Name)
{
    public static readonly LimitScope Global = new("global", "");

    public string Describe() => Kind switch
    {
        "global" => "the proxy",
        "key" => $"your key \"{Name}\"",
        _ => $"the {Kind} \"{Name}\"",
    };
}
