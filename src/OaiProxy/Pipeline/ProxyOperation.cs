using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;

namespace OaiProxy.Pipeline;

/// <summary>
/// What one API endpoint asks of the shared pipeline (docs/decisions/0005-operations.md): how to read the body,
/// which connections can serve it, and what each attempt sends. Snapshot, authentication, routing, group
/// permission, <c>before</c> handlers, retries, fallback, breakers, timeouts and logging stay in the pipeline.
/// </summary>
internal abstract class ProxyOperation : IDisposable
{
    /// <summary>The operation's name in the request log, such as <c>chat.completions</c> or <c>embeddings</c>.</summary>
    public abstract string Name { get; }

    private RequestBody? _body;

    /// <summary>The model the client asked for; set by <see cref="Parse"/>.</summary>
    public string Model { get; private set; } = "";

    public bool Stream { get; private set; }

    /// <summary>The client's body as parsed by <see cref="Parse"/>: read by the limits, spliced or translated per target.</summary>
    public RequestBody Body => _body ?? throw new InvalidOperationException("The request has not been parsed.");

    /// <summary>Keeps the parsed body (disposed with the operation) with what routing and the log read of it.</summary>
    protected void Accept(RequestBody body, bool stream)
    {
        _body = body;
        Model = body.Model;
        Stream = stream;
    }

    /// <summary>Validates the body and reads what routing needs; null when it is acceptable.</summary>
    public abstract ProxyError? Parse(ReadOnlyMemory<byte> body, ProxyConfig config);

    /// <summary>
    /// Work that needs the caller and the targets (stored conversation state, say), done once before the limits and
    /// the attempts; an error ends the request.
    /// </summary>
    public virtual ValueTask<ProxyError?> PrepareAsync(OperationScope scope, CancellationToken cancellationToken) => ValueTask.FromResult<ProxyError?>(null);

    /// <summary>The body whose tokens the limits reserve: the client's, unless the operation sends more (a stored conversation).</summary>
    public virtual RequestBody CountedBody => Body;

    /// <summary>Whether <paramref name="provider"/> can serve this operation at all; others are skipped.</summary>
    public virtual bool Supports(IProvider provider) => true;

    /// <summary>The error when no target of the route can serve the operation.</summary>
    public virtual ProxyError Unsupported(string connection) =>
        ProxyError.BadRequest($"The connection \"{connection}\" serving \"{Model}\" cannot serve {Name}; route \"{Model}\" to a connection that can.", "model", "unsupported_operation");

    /// <summary>The call made by each attempt against <paramref name="target"/> (built once per target, run per attempt).</summary>
    public abstract Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> ForTarget(RouteTarget target,
        IReadOnlyList<KeyValuePair<string, string>> headers);

    /// <summary>
    /// The body one target gets: the client's, with the target's overrides and its connection's <c>default_args</c>
    /// applied (the one place both happen); bodies made here are disposed with the operation.
    /// </summary>
    protected RequestBody BodyFor(RouteTarget target, RequestBody body)
    {
        var result = target.Overrides is null ? body : Own(BodyOverrides.Apply(body, target.Overrides));
        var withDefaults = BodyRewriter.WithDefaults(result, target.Connection.DefaultArgs);
        return withDefaults == result ? result : Own(withDefaults);
    }

    private RequestBody Own(RequestBody body)
    {
        (_made ??= []).Add(body);
        return body;
    }

    private List<RequestBody>? _made;

    public void Dispose()
    {
        Release();
        _body?.Dispose();
        foreach (var body in _made ?? []) body.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what parsing took (a parsed document); the fields the endpoint reads afterwards stay valid.</summary>
    protected virtual void Release()
    {
    }
}
