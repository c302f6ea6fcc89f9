using OaiProxy.Configuration;

namespace OaiProxy.Runtime;

/// <summary>
/// The configuration in force, for modules beside the proxy (such as the storage module's admin API): it changes
/// when a reload is applied, so read it per use rather than keeping it.
/// </summary>
public interface IActiveConfig
{
    ProxyConfig Current { get; }
}
