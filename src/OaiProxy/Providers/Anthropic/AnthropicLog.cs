using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;

namespace OaiProxy.Providers.Anthropic;

/// <summary>Log messages of the Anthropic adapter (event ids 3100-3199).</summary>
internal static partial class AnthropicLog
{
    [LoggerMessage(EventId = LogEvents.AnthropicUnknownStopReason, Level = LogLevel.Warning, Message = "Connection {Connection}: unknown Anthropic stop_reason \"{StopReason}\" mapped to finish_reason \"stop\".")]
    public static partial void UnknownStopReason(ILogger logger, string connection, string? stopReason);
}
