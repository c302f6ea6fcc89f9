namespace OaiProxy.Configuration;

/// <summary>Limits attached to one virtual key. Every field is optional: null means no limit of that kind.</summary>
/// <param name="Rpm">Requests per minute.</param>
/// <param name="Tpm">Tokens (prompt + completion) per minute.</param>
/// <param name="MaxParallel">Requests in flight at once.</param>
/// <param name="Budget">Spend limit over a period.</param>
public sealed record LimitsConfig(long? Rpm = null, long? Tpm = null, int? MaxParallel = null, BudgetConfig? Budget = null)
{
    public bool IsEmpty => Rpm is null && Tpm is null && MaxParallel is null && Budget is null;
}
