namespace ChatLoop.Server.Metrics;

/// <summary>Why the server itself closed a client (a client that leaves or drops is not cut off).</summary>
internal enum CutOffReason
{
    /// <summary>A line or request past its bound (ERROR 3).</summary>
    TooLong,

    /// <summary>One client past --max-clients (ERROR 9).</summary>
    ServerFull,

    /// <summary>More queued for it than --max-outbound-bytes, or queued bytes waited past --max-lag-s (ERROR 10).</summary>
    TooSlow,

    /// <summary>An unfinished request or a connection that never joined (ERROR 11).</summary>
    Timeout,

    /// <summary>Its first line was an HTTP request line.</summary>
    HttpRequest,

    /// <summary>Serving it threw.</summary>
    InternalError,

    /// <summary>Any other error that ends the connection.</summary>
    OtherError,
}
