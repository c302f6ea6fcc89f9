using System.Text;
using System.Text.Json.Nodes;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// When the proxy wrote a stored conversation into a Responses upstream's input, the upstream never saw the client's
/// <c>previous_response_id</c> and echoes null; the client must still see its own id, as OpenAI echoes it.
/// Only the few events that carry the whole response are rewritten, and only in that case.
/// </summary>
internal static class PreviousResponseEcho
{
    public static byte[] InResponse(ReadOnlySpan<byte> json, string previousId)
    {
        if (JsonNode.Parse(json) is not JsonObject response) return json.ToArray();
        response["previous_response_id"] = previousId;
        return Encoding.UTF8.GetBytes(response.ToJsonString());
    }

    /// <summary>An event frame (<c>event:</c> and <c>data:</c> lines) whose data carries a <c>response</c>; other frames pass unchanged.</summary>
    public static byte[]? InFrame(ReadOnlySpan<byte> frame, string previousId)
    {
        var start = frame.IndexOf("data: "u8);
        if (start < 0) return null;
        var data = frame[(start + 6)..];
        var end = data.IndexOf((byte)'\n');
        if (end >= 0) data = data[..end];
        if (JsonNode.Parse(data) is not JsonObject payload || payload["response"] is not JsonObject response) return null;
        response["previous_response_id"] = previousId;
        var rewritten = new StringBuilder().Append(Encoding.UTF8.GetString(frame[..(start + 6)])).Append(payload.ToJsonString()).Append("\n\n");
        return Encoding.UTF8.GetBytes(rewritten.ToString());
    }
}
