namespace OaiProxy.Limits;

/// <summary>What a check limits, for messages and response headers.</summary>
internal enum LimitMeter
{
    Requests,
    Tokens,
    Parallel,
    Budget,
}
