namespace OaiProxy.Observability;

/// <summary>Boxed HTTP status codes, so tagging a measurement with one allocates nothing.</summary>
internal static class BoxedStatus
{
    private static readonly object[] Cache = Enumerable.Range(0, 600).Select(static i => (object)i).ToArray();

    public static object Of(int status) => status is >= 0 and < 600 ? Cache[status] : status;
}
