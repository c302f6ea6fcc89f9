namespace OaiProxy.Limits;

/// <summary>Every check of one request, admitted or refused together (one Redis script call).</summary>
internal sealed class LimitPlan(string id, LimitCheck[] checks)
{
    /// <summary>The request id: the member of every set the request enters.</summary>
    public string Id { get; } = id;

    public LimitCheck[] Checks { get; } = checks;
}
