namespace OaiProxy.Configuration;

/// <summary>US dollars per million tokens: prompt (<c>input</c>), completion (<c>output</c>) and cached prompt tokens.</summary>
public sealed record ModelPrice(decimal Input, decimal Output, decimal CachedInput);
