namespace OaiProxy.Configuration;

/// <summary>Every <c>api_type</c> known to this process, for binding <c>[connections.NAME]</c> tables.</summary>
public interface IConnectionTypes
{
    IEnumerable<string> ApiTypes { get; }

    /// <summary>The type serving <paramref name="apiType"/>; null when it is unknown.</summary>
    IConnectionType? Find(string apiType);
}
