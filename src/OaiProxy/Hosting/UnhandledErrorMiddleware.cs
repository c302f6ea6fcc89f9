using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OaiProxy.Endpoints;
using OaiProxy.Errors;

namespace OaiProxy.Hosting;

/// <summary>Last line of defence: an unexpected exception becomes a 500 in OpenAI's shape, never a stack trace.</summary>
internal sealed partial class UnhandledErrorMiddleware(RequestDelegate next, ILogger<UnhandledErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
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
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Unhandled error on {Path}.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
