namespace ChatLoop.Server;

/// <summary>Who may stop the server with KILL_SERVICE (PROTOCOL.md §2.6).</summary>
public enum KillServicePolicy
{
    /// <summary>Only a peer on a loopback address.</summary>
    Loopback,
    Any,
    Off,
}
