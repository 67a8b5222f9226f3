namespace ChatLoop.Protocol;

public enum RequestKind
{
    None = 0,
    Join,
    Leave,
    Chat,
    Disconnect,
    Helo,
    KillService,
    Help,
    Stats,

    /// <summary>The input was not a valid request; <see cref="Request.Error"/> says why.</summary>
    Invalid,

    /// <summary>The first line was an HTTP request line: a browser or a cross-protocol attack.</summary>
    Http,
}
