namespace OaiProxy.Forwarding;

/// <summary>Request ids: time-ordered (UUID v7) so logs sort by creation.</summary>
public static class RequestIds
{
    public static string New() => "req_" + Guid.CreateVersion7().ToString("N");
}
