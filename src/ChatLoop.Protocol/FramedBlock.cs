namespace ChatLoop.Protocol;

/// <summary>
/// One block the server sent, as spans over the receive buffer: valid only until that buffer is
/// reused, and never copied, so reading a block allocates nothing.
/// </summary>
public ref struct FramedBlock
{
    public BlockKind Kind;

    /// <summary>False when the lines after the first are not the ones PROTOCOL.md gives for this kind.</summary>
    public bool WellFormed;

    /// <summary>The value of the first line: CHAT and LEFT_CHATROOM's room ref, JOINED_CHATROOM's room name, ERROR_CODE's code.</summary>
    public ReadOnlySpan<byte> First;

    /// <summary>CHAT: CLIENT_NAME.</summary>
    public ReadOnlySpan<byte> Name;

    /// <summary>CHAT: the whole body (lines joined by LF); ERROR: the description.</summary>
    public ReadOnlySpan<byte> Message;

    /// <summary>JOINED_CHATROOM: ROOM_REF.</summary>
    public ReadOnlySpan<byte> RoomRef;

    /// <summary>JOINED_CHATROOM and LEFT_CHATROOM: JOIN_ID.</summary>
    public ReadOnlySpan<byte> JoinId;
}
