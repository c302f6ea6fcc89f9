using OaiProxy.Logging;
using OaiProxy.Pipeline;
using OaiProxy.Runtime;

namespace OaiProxy.Tests.Pipeline.Fakes;

internal static class TestAnswers
{
    /// <summary>An empty answer whose request starts now on <paramref name="time"/>.</summary>
    public static ProxyAnswer Create(TimeProvider time) =>
        new(new RequestLogEntry { Id = "req_test", CreatedAt = time.GetUtcNow() }, time, time.GetTimestamp(), new RequestTracker());
}
