using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using OaiProxy.Dialects.Anthropic;
using OaiProxy.Dialects.OpenAi;
using OaiProxy.Dialects.Responses;
using OaiProxy.Logging;
using OaiProxy.Pipeline;

namespace OaiProxy.Tests.Logging;

/// <summary>
/// The fixed set of endpoint names: usage records keep only these, and the admin API's <c>endpoint</c> filter accepts
/// only these, so an operation named outside the set would be recorded without an endpoint.
/// </summary>
public sealed class OperationNamesTests
{
    [Fact]
    public void All_HoldsEveryConstantOnce()
    {
        var constants = typeof(OperationNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(constants.Order(StringComparer.Ordinal), OperationNames.All.Order(StringComparer.Ordinal));
        Assert.Equal(OperationNames.All.Count, OperationNames.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EveryDialectsOperation_IsNamedFromTheSet()
    {
        ProxyOperation[] operations =
        [
            new ChatOperation(), new CompletionsOperation(), new EmbeddingsOperation(),
            new MessagesOperation(countTokens: false, null, null), new MessagesOperation(countTokens: true, null, null),
            new ResponsesOperation(new MemoryResponseStore(TimeProvider.System), TimeProvider.System, NullLogger.Instance),
        ];

        Assert.Equal(OperationNames.All.Order(StringComparer.Ordinal), operations.Select(o => o.Name).Order(StringComparer.Ordinal));
        foreach (var operation in operations) operation.Dispose();
    }
}
