using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Auth;
using OaiProxy.Dialects.OpenAi;
using OaiProxy.Hosting;
using OaiProxy.Logging;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Resilience;

namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>
/// The proxy's services as <c>AddOaiProxy</c> registers them, in-process with no server: a config document, fake
/// providers by connection name, a fake clock and a recording request logger; the log dispatcher runs.
/// </summary>
internal sealed class PipelineHost(ServiceProvider services, RecordingRequestLogger logger) : IAsyncDisposable
{
    public RequestPipeline Pipeline => services.GetRequiredService<RequestPipeline>();

    public ConnectionHealthRegistry Health => services.GetRequiredService<ConnectionHealthRegistry>();

    private LogDispatcher Dispatcher => services.GetRequiredService<LogDispatcher>();

    public static async Task<PipelineHost> StartAsync(JsonObject config, IReadOnlyDictionary<string, IProvider> providers)
    {
        var logger = new RecordingRequestLogger();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new WatchedTimeProvider());
        services.AddSingleton<IProviderFactory>(new FakeProviderFactory(providers));
        services.AddSingleton<IRequestLogger>(logger);
        services.AddOaiProxy(options => options.ConfigDocument = config);
        var provider = services.BuildServiceProvider();
        var host = new PipelineHost(provider, logger);
        await host.Dispatcher.StartAsync(CancellationToken.None);
        return host;
    }

    /// <summary>A chat completion through the pipeline, as a trusted in-process caller of the default group.</summary>
    public Task RunChatAsync(string body, IAnswerWriter writer, CancellationToken aborted) =>
        RunChatAsync(InboundRequest.InProcess(Encoding.UTF8.GetBytes(body), new AuthResult("default")), writer, aborted);

    public Task RunChatAsync(InboundRequest request, IAnswerWriter writer, CancellationToken aborted) =>
        Pipeline.RunAsync(request, new ChatOperation(), writer, aborted);

    /// <summary>Every entry logged so far, once the dispatcher wrote all that was queued.</summary>
    public async Task<IReadOnlyCollection<RequestLogEntry>> LoggedAsync(CancellationToken cancellationToken)
    {
        await Dispatcher.FlushAsync().WaitAsync(cancellationToken);
        return logger.Entries;
    }

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.StopAsync(CancellationToken.None);
        await services.DisposeAsync();
    }
}
