namespace OaiProxy.Dialects.Responses;

/// <summary>One conversation item (a message, a function call, its output, reasoning) as its JSON object.</summary>
/// <param name="Id">The item's id; items the client sent without one get a generated id when stored.</param>
/// <param name="Json">The item as one JSON object.</param>
public sealed record StoredItem(string Id, string Json);
