namespace OaiProxy.Configuration;

/// <summary>What a budget does with a model that has no price (<c>unpriced_models</c>).</summary>
public enum UnpricedModelPolicy
{
    /// <summary>Refuse requests to it while a budget applies (403 <c>model_not_priced</c>): its cost could not be counted.</summary>
    Refuse,

    /// <summary>Serve it at a cost of 0, so budgets do not count it (the behaviour before budgets refused).</summary>
    Allow,
}
