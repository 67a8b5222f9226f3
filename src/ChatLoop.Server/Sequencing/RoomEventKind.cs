namespace ChatLoop.Server.Sequencing;

/// <summary>What a room event does to a room (DESIGN.md, the sequencer seam).</summary>
internal enum RoomEventKind : byte
{
    /// <summary>A member joins; the joiner gets JOINED_CHATROOM, every member the join notice.</summary>
    Join = 1,

    /// <summary>LEAVE_CHATROOM: the leaver gets LEFT_CHATROOM, every member the leave notice.</summary>
    Leave = 2,

    /// <summary>A CHAT broadcast to every member.</summary>
    Chat = 3,

    /// <summary>A closing connection leaves a room: the leave notice, no LEFT_CHATROOM.</summary>
    Gone = 4,
}
