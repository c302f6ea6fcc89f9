namespace OaiProxy.LoadDriver;

/// <summary>One line of the results table; <see cref="Pass"/> is null where the issue sets no target.</summary>
internal sealed record ResultRow(string Measure, string Direct, string Proxy, string Versus, string Target, bool? Pass);
