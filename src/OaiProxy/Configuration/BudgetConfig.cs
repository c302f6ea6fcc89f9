namespace OaiProxy.Configuration;

/// <summary>A spend limit in US dollars over a period: <c>daily</c>, <c>monthly</c> or <c>total</c>.</summary>
public sealed record BudgetConfig(decimal Amount, string Period)
{
    public static readonly IReadOnlyList<string> Periods = ["daily", "monthly", "total"];
}
