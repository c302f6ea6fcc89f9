using System.Globalization;
using System.Text.Json.Nodes;

namespace OaiProxy.Logging;

/// <summary>The JSON form of a log entry: what a writer stores untransformed and what transformer paths address.</summary>
public static class LogEntryJson
{
    public static JsonObject ToJson(RequestLogEntry entry)
    {
        var json = new JsonObject
        {
            ["id"] = entry.Id,
            ["request"] = entry.Request?.DeepClone() ?? TryParse(entry.RequestBody),
            ["response"] = entry.Response?.DeepClone() ?? TryParse(entry.ResponseBody),
            ["error"] = entry.Error is null ? null : new JsonObject
            {
                ["message"] = entry.Error.Message,
                ["type"] = entry.Error.Type,
                ["code"] = entry.Error.Code,
                ["status"] = entry.Error.Status,
            },
            ["operation"] = entry.Operation,
            ["group"] = entry.Group,
            ["connection"] = entry.Connection,
            ["model"] = entry.Model,
            ["upstream_model"] = entry.UpstreamModel,
            ["api_key_id"] = entry.ApiKeyId,
            ["remote_addr"] = entry.RemoteAddr,
            ["created_at"] = entry.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["duration"] = entry.Duration?.TotalSeconds,
            ["user_info"] = entry.UserInfo?.DeepClone(),
            ["status"] = entry.Status,
            ["stream"] = entry.Stream,
            ["client_aborted"] = entry.ClientAborted,
            ["attempts"] = entry.Attempts,
            ["time_to_first_token"] = entry.TimeToFirstToken?.TotalSeconds,
            ["usage"] = entry.Usage is null ? null : new JsonObject
            {
                ["prompt_tokens"] = entry.Usage.PromptTokens,
                ["completion_tokens"] = entry.Usage.CompletionTokens,
                ["total_tokens"] = entry.Usage.TotalTokens,
                ["cached_tokens"] = entry.Usage.CachedTokens,
                ["reasoning_tokens"] = entry.Usage.ReasoningTokens,
            },
        };
        return json;
    }

    private static JsonNode? TryParse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            return JsonNode.Parse(body.Span);
        }
        catch (System.Text.Json.JsonException)
        {
            return System.Text.Encoding.UTF8.GetString(body.Span);
        }
    }
}
