namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>
/// Wall-clock bound on a test that would otherwise hang on a bug: never a synchronisation, only a way to fail.
/// </summary>
internal static class HangGuard
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static CancellationTokenSource Start() => new(Limit);
}
