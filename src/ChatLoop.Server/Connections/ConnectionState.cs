namespace ChatLoop.Server.Connections;

internal enum ConnectionState
{
    /// <summary>Reading requests and receiving broadcasts.</summary>
    Open,

    /// <summary>Leaving: out of its rooms, input ignored, flushing what is queued, then its sending side is shut.</summary>
    Draining,

    /// <summary>The socket is closed; the object is about to be dropped.</summary>
    Closed,
}
