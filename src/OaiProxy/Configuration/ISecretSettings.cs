namespace OaiProxy.Configuration;

/// <summary>Provider settings that hold secrets of their own (a service account's key), so that upstream text is scrubbed of them.</summary>
internal interface ISecretSettings
{
    IEnumerable<string> Secrets { get; }
}
