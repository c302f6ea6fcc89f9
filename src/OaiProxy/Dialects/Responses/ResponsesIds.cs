using System.Security.Cryptography;

namespace OaiProxy.Dialects.Responses;

/// <summary>Ids in OpenAI's Responses style: a type prefix (<c>resp_</c>, <c>msg_</c>, <c>fc_</c>, ...) and random hex.</summary>
internal static class ResponsesIds
{
    /// <summary>The response id of a request: its request id's hex, so logs and responses correlate.</summary>
    public static string Response(string requestId) => "resp_" + (requestId.StartsWith("req_", StringComparison.Ordinal) ? requestId[4..] : requestId);

    public static string New(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
