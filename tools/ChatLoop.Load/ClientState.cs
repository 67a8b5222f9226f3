namespace ChatLoop.Load;

internal enum ClientState
{
    Idle,
    Connecting,

    /// <summary>Connected, JOIN sent, JOINED_CHATROOM not yet read.</summary>
    Joining,
    Joined,

    /// <summary>A slow member after its JOINED_CHATROOM: it is not read again until the end.</summary>
    Parked,
    Closed,
}
