namespace OaiProxy.Configuration;

/// <summary>How <c>GET /models</c> presents routing keys that hold wildcards.</summary>
public enum ModelListingMode
{
    /// <summary>List routing keys exactly as written, patterns included.</summary>
    AsIs,

    /// <summary>List only routing keys without wildcards.</summary>
    IgnoreWildcards,

    /// <summary>Replace each pattern by the upstream models it matches.</summary>
    ExpandWildcards,
}
