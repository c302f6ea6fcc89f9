using System.Diagnostics;
using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Hooks;
using OaiProxy.Limits;
using OaiProxy.Logging;
using OaiProxy.Observability;
using OaiProxy.Runtime;

namespace OaiProxy.Pipeline;

/// <summary>
/// The one owner of a request's lifetime, whatever its dialect and whatever the provider: it counts the request
/// in flight, leases the config snapshot, reads the body within that snapshot's limit, authenticates, parses,
/// routes, checks permissions, runs the <c>before</c> hooks and the limits, runs the attempts, relays the answer
/// through the dialect's <see cref="IAnswerWriter"/> (one relay loop for every dialect), and completes: the log
/// entry, the limits' settlement, the spans, the snapshot. A stream counts as answered only once its first event
/// arrived, so failover stays possible until the client saw a byte.
/// </summary>
internal sealed class RequestPipeline(ProxyRuntime runtime, TimeProvider time, TargetOrder targetOrder, AttemptLoop attempts,
    RequestTracker tracker, LimitGate limits, LogDispatcher logs)
{
    public async Task RunAsync(InboundRequest request, ProxyOperation operation, IAnswerWriter writer, CancellationToken aborted)
    {
        tracker.Enter();
        var lease = runtime.Lease();
        var span = ProxySpans.StartRequest();
        var answer = new ProxyAnswer(new RequestLogEntry
        {
            Id = RequestIds.New(time.GetUtcNow()),
            CreatedAt = time.GetUtcNow(),
            RemoteAddr = request.RemoteAddress,
            Operation = operation.Name,
        }, time, time.GetTimestamp(), tracker);
        var clientAborted = false;
        try
        {
            await AnswerAsync(request, operation, lease.State, answer, aborted);
            writer.Prepare(answer);
            if (answer.Error is { } error) await writer.WriteErrorAsync(error, aborted);
            else if (!answer.IsStream) await writer.WriteJsonAsync(answer.Json, aborted);
            else await RelayAsync(answer, writer, aborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            clientAborted = true;
        }
        catch
        {
            if (answer.Log.Status is 0 or 200) answer.Log.Status = 500;
            throw;
        }
        finally
        {
            operation.Dispose();
            await CompleteAsync(answer, lease, span, clientAborted);
            tracker.Exit();
        }
    }

    private async Task AnswerAsync(InboundRequest request, ProxyOperation operation, ProxyState state, ProxyAnswer answer, CancellationToken aborted)
    {
        var log = answer.Log;

        // 1. The body, within the limit of the snapshot this request runs on.
        var (body, bodyError) = await request.ReadBodyAsync(state.Config.MaxRequestBytes, aborted);
        if (body is null)
        {
            answer.Fail(bodyError ?? BodyLimits.TooLarge(state.Config.MaxRequestBytes));
            return;
        }

        // 2. A disabled proxy answers nothing else.
        if (!state.Config.Enabled)
        {
            answer.Fail(Authentication.Disabled());
            return;
        }

        // 3. The virtual key.
        var auth = request.TrustedAuth;
        GroupConfig? group;
        ProxyError? authError;
        if (auth is null)
        {
            if (!string.IsNullOrEmpty(request.ApiKey)) log.ApiKeyId = state.KeyIds.Compute(request.ApiKey);
            (auth, group, authError) = await Authentication.AuthenticateAsync(request.ApiKey, state, aborted);
        }
        else
        {
            (group, authError) = Authentication.GroupOf(auth, state);
        }
        if (group is null)
        {
            answer.Fail(authError!);
            return;
        }
        log.Group = auth!.Group;
        log.UserInfo = auth.UserInfo;
        log.KeyId = auth.KeyId;

        // 4. The body in the operation's terms.
        if (operation.Parse(body, state.Config) is { } parseError)
        {
            answer.Fail(parseError);
            return;
        }
        // Stored only now: a body without a valid key, or one the parse refused (invalid text, a megabyte model name),
        // would let anyone fill the request log with what no request ever used.
        log.RequestBody = body;
        log.Model = operation.Model;
        log.Stream = operation.Stream;

        // 5. Route, and keep only the targets the group and the key may use.
        var route = state.Router.Match(operation.Model);
        if (route is null)
        {
            answer.Fail(ProxyError.ModelNotFound(operation.Model));
            return;
        }
        if (!KeyRestrictions.AllowsModel(auth, operation.Model))
        {
            answer.Fail(KeyRestrictions.ModelNotAllowed(operation.Model));
            return;
        }
        var targets = KeyRestrictions.FilterConnections(auth, targetOrder.Order(route, operation.Model, group));
        if (targets.Count == 0)
        {
            answer.Fail(KeyRestrictions.NoConnectionAllowed(group.Name, operation.Model));
            return;
        }

        // 6. What the operation needs of the caller and the targets (stored state), then the before hooks.
        if (await operation.PrepareAsync(new OperationScope(auth, log.ApiKeyId, targets, state), aborted) is { } prepareError)
        {
            answer.Fail(prepareError);
            return;
        }
        var context = new RequestContext
        {
            Model = operation.Model,
            Group = group.Name,
            Connection = targets[0].Connection.Name,
            ApiKeyId = log.ApiKeyId,
            Auth = auth,
            RemoteAddress = request.RemoteAddress,
            ClientHeaders = request.Headers,
        };
        foreach (var hook in state.Handlers)
        {
            if (await hook.HandleAsync(context, aborted) is { } rejection)
            {
                answer.Fail(rejection);
                return;
            }
        }

        // 7. Rate limits and budgets, admitted together; settled when the request completes.
        var (ticket, limited) = await limits.AdmitAsync(state, auth, group, targets, operation.CountedBody, operation.Name, log.Id, aborted);
        answer.Limits = ticket;
        if (limited is not null)
        {
            answer.Fail(limited);
            return;
        }

        // 8. Attempts: retries per target, then the next target, until one answers.
        await attempts.RunAsync(state, operation, targets, context.UpstreamHeaders, answer, aborted);
    }

    /// <summary>The one relay loop: events as they come, a flush whenever no further event is already buffered.</summary>
    private static async Task RelayAsync(ProxyAnswer answer, IAnswerWriter writer, CancellationToken aborted)
    {
        await writer.StartStreamAsync(aborted);
        while (await answer.ReadAsync(aborted))
        {
            writer.WriteEvent(answer.Current.Span);
            if (!answer.HasBufferedEvent) await writer.FlushAsync(aborted);
        }
        if (answer.StreamError is { } error) writer.WriteStreamError(error);
        else await writer.WriteStreamEndAsync(aborted);
        await writer.FlushAsync(aborted);
    }

    private async ValueTask CompleteAsync(ProxyAnswer answer, StateLease lease, Activity? span, bool clientAborted)
    {
        var log = answer.Log;
        log.ClientAborted = clientAborted;
        log.Duration = time.GetElapsedTime(answer.Started);
        // A client that left before or during the answer is logged as such, whatever the upstream was doing.
        if (clientAborted && log.Status is 0 or 200) log.Status = 499;
        answer.Capture(lease.State.CapturesResponses);
        await answer.ReleaseAsync();
        answer.Limits?.Settle(log, answer.End, answer.Events, answer.AbandonedAttempts);
        ProxySpans.FinishStream(answer.StreamSpan, answer.StreamError);
        ProxySpans.FinishRequest(span, log);
        logs.Enqueue(log, lease.State.Loggers);
        await lease.DisposeAsync();
    }
}
