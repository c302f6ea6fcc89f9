using System.Text.Json;

namespace OaiProxy.Dialects.Responses;

/// <summary>What every event and the response object of one request share: its id, time, model and settings.</summary>
internal sealed record ResponseContext(string Id, long CreatedAt, string Model, JsonElement Request, string? PreviousResponseId, bool Store, StateSeal Seal);
