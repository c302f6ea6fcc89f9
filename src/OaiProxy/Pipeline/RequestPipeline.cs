using OaiProxy.Auth;
using OaiProxy.Errors;
using OaiProxy.Hooks;
using OaiProxy.Limits;
using OaiProxy.Logging;
using OaiProxy.Providers;
using OaiProxy.Routing;
using OaiProxy.Runtime;

namespace OaiProxy.Pipeline;

/// <summary>
/// The one path every chat request takes, whatever the provider: snapshot, authentication, validation, routing,
/// group permission, <c>before</c> handlers, then attempts across the route's targets until one answers. A stream
/// counts as answered only once its first chunk arrived, so failover stays possible until the client saw a byte.
/// </summary>
public sealed class RequestPipeline(ProxyRuntime runtime, TimeProvider time, AttemptLoop attempts, RequestTracker tracker, LimitGate limits)
{
    /// <summary>Runs any operation (chat, embeddings, messages, ...) through the same steps; the pipeline disposes it.</summary>
    internal async Task<ProxyAnswer> SendAsync(InboundRequest call, ProxyOperation operation, CancellationToken cancellationToken)
    {
        tracker.Enter();
        var lease = runtime.Lease();
        var state = lease.State;
        var started = time.GetTimestamp();
        var log = new RequestLogEntry
        {
            Id = RequestIds.New(),
            CreatedAt = time.GetUtcNow(),
            RemoteAddr = call.RemoteAddress,
            RequestBody = call.Body,
            Operation = operation.Name,
        };
        var outcome = new ProxyAnswer(lease, tracker, log, time, started);
        try
        {
            return await RunAsync(call, operation, state, log, outcome, cancellationToken);
        }
        catch
        {
            await outcome.DisposeAsync();
            throw;
        }
    }

    private async Task<ProxyAnswer> RunAsync(InboundRequest call, ProxyOperation operation, ProxyState state, RequestLogEntry log, ProxyAnswer outcome, CancellationToken cancellationToken)
    {
        // 1. The snapshot is taken; a disabled proxy answers nothing else.
        if (!state.Config.Enabled)
        {
            return outcome.Fail(new ProxyError(503, ErrorTypes.Unavailable, ErrorCodes.ProxyDisabled, "The proxy is disabled by its configuration (enabled = false)."));
        }

        // 2. Authenticate the virtual key.
        var auth = await AuthenticateAsync(call, state, log, cancellationToken);
        if (auth.Error is not null) return outcome.Fail(auth.Error);
        log.Group = auth.Result!.Group;
        log.UserInfo = auth.Result.UserInfo;
        log.KeyId = auth.Result.KeyId;

        // 3. Validate the body.
        if (call.Body.Length > state.Config.MaxRequestBytes) return outcome.Fail(BodyLimits.TooLarge(state.Config.MaxRequestBytes));
        using var chat = operation;
        if (operation.Parse(call.Body, state.Config) is { } parseError) return outcome.Fail(parseError);
        log.Model = chat.Model;
        log.Stream = chat.Stream;

        // 4. Route, and keep only the targets the group may use.
        var route = state.Router.Match(chat.Model);
        if (route is null) return outcome.Fail(ProxyError.ModelNotFound(chat.Model));
        var group = state.Group(auth.Result.Group);
        if (!KeyRestrictions.AllowsModel(auth.Result, chat.Model))
        {
            return outcome.Fail(new ProxyError(403, ErrorTypes.Permission, ErrorCodes.ModelNotAllowed,
                $"Your key may not use the model \"{chat.Model}\"; ask the proxy operator to add it to the key's models.", "model"));
        }
        var targets = KeyRestrictions.FilterConnections(auth.Result, attempts.OrderTargets(route, chat.Model, group));
        if (targets.Count == 0)
        {
            return outcome.Fail(new ProxyError(403, ErrorTypes.Permission, ErrorCodes.ConnectionNotAllowed,
                $"Your key's group \"{group.Name}\" may not use the connection serving \"{chat.Model}\"; ask the proxy operator to add it to the group's (or the key's) allowed connections.", "model"));
        }

        // 5. before handlers.
        var context = new RequestContext
        {
            Model = chat.Model,
            Group = group.Name,
            Connection = targets[0].Connection.Name,
            ApiKeyId = log.ApiKeyId,
            Auth = auth.Result,
            RemoteAddress = call.RemoteAddress,
            ClientHeaders = call.Headers,
        };
        foreach (var handler in state.Handlers)
        {
            if (await handler.HandleAsync(context, cancellationToken) is { } rejection) return outcome.Fail(rejection);
        }

        // 5b. Rate limits and budgets (Limits/): admitted together, settled when the outcome completes.
        var (ticket, limited) = await limits.AdmitAsync(state.Config, auth.Result, group, targets, chat.Model, call.Body, operation.Name, log.Id, cancellationToken);
        outcome.Limits = ticket;
        if (limited is not null) return outcome.Fail(limited);

        // 6. Attempts: retries per target, then the next target, until one answers.
        return await attempts.RunAsync(state, operation, targets, context.UpstreamHeaders, outcome, cancellationToken);
    }

    private static async ValueTask<(AuthResult? Result, ProxyError? Error)> AuthenticateAsync(InboundRequest call, ProxyState state, RequestLogEntry log, CancellationToken cancellationToken)
    {
        if (call.TrustedAuth is not null) return (call.TrustedAuth, null);
        if (string.IsNullOrEmpty(call.ApiKey))
        {
            return (null, ProxyError.InvalidApiKey("No API key was sent. Send your virtual key as \"Authorization: Bearer KEY\"."));
        }
        log.ApiKeyId = ApiKeyId.Compute(call.ApiKey, state.Config.EncryptionKey);
        var result = await state.Validator.ValidateAsync(call.ApiKey, cancellationToken);
        return result is null
            ? (null, ProxyError.InvalidApiKey("The API key is not valid. Check the key, or ask the proxy operator for one."))
            : (result, null);
    }
}
