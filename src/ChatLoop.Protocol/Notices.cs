namespace ChatLoop.Protocol;

/// <summary>
/// The join and leave notices (PROTOCOL.md §2.1, §2.2): a CHAT whose message is the client's name
/// followed by one of these. The server writes them, and clients and the load tool recognise them,
/// through this one definition.
/// </summary>
public static class Notices
{
    public const string Joined = " has joined this chatroom.";

    public const string Left = " has left this chatroom.";

    public static ReadOnlySpan<byte> JoinedUtf8 => " has joined this chatroom."u8;

    public static ReadOnlySpan<byte> LeftUtf8 => " has left this chatroom."u8;
}
