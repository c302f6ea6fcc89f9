namespace OaiProxy.Configuration;

/// <summary>Timeouts of one connection, each in seconds in the config file.</summary>
public sealed record TimeoutsConfig
{
    /// <summary><c>connect_timeout</c>: TCP and TLS connect. Default 10 s.</summary>
    public TimeSpan Connect { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>first_byte_timeout</c>: from sending the request to the response headers and first event. Default 300 s.</summary>
    public TimeSpan FirstByte { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>idle_timeout</c>: longest silence between two stream events. Default 120 s.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary><c>timeout</c>: the whole request, stream included. Default 600 s.</summary>
    public TimeSpan Total { get; init; } = TimeSpan.FromSeconds(600);
}
