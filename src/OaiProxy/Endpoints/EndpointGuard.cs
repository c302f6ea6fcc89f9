using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;
using OaiProxy.Dialects;
using OaiProxy.Errors;
using OaiProxy.Observability;

namespace OaiProxy.Endpoints;

/// <summary>
/// Wraps every proxy endpoint so an unexpected exception becomes a 500 in OpenAI's shape (never a stack trace),
/// whether the proxy runs standalone or mapped into someone else's app.
/// </summary>
internal static partial class EndpointGuard
{
    public static RequestDelegate Wrap(RequestDelegate handler, ILogger logger) => async context =>
    {
        OverheadTiming.Start(context);
        try
        {
            await handler(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; there is nobody to answer.
        }
        catch (BadHttpRequestException e)
        {
            if (context.Response.HasStarted) throw;
            await ResponseWriter.WriteErrorAsync(context, new ProxyError(e.StatusCode, ErrorTypes.InvalidRequest, null, $"The HTTP request is malformed: {e.Message}"));
        }
#pragma warning disable CA1031 // Any exception must become a clean 500, not a dropped connection with a trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUnhandled(logger, e, context.Request.Path);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }
            context.Response.Clear();
            await ResponseWriter.WriteErrorAsync(context, ProxyError.Internal("The proxy hit an unexpected error; it has been logged. Retry, and report it if it persists."));
        }
    };

    [LoggerMessage(EventId = LogEvents.UnhandledError, Level = LogLevel.Error, Message = "Unhandled error on {Path}.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
