namespace OaiProxy.Limits;

/// <summary>How a request's answer ended, which decides what its limits are charged (<see cref="LimitTicket.Settle"/>).</summary>
internal enum AnswerEnd
{
    /// <summary>No answer came from an upstream: an error, or the client left before one.</summary>
    None,

    /// <summary>A whole JSON answer, or a stream that reached its clean end.</summary>
    Finished,

    /// <summary>A stream that started and did not finish: cut by the upstream or a deadline, or the client left.</summary>
    Unfinished,
}
