using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using NLog;

namespace ChatLoop.Server.Rooms;

/// <summary>
/// PROTOCOL.md §2.3, "the connection is the authority": what a LEAVE_CHATROOM or CHAT means is decided
/// by the connection that sent it, not by the ids it carries, so that the exercise's clients that
/// hard-code a JOIN_ID or send a room's name for its ref work unchanged. Decisions only: the caller
/// sends any error.
/// </summary>
internal static class ConnectionAuthority
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>
    /// The ROOM_REF a LEAVE_CHATROOM or CHAT means for <paramref name="c"/>. An integer is a ref, even when
    /// a room's name is all digits (the reader decides that). A name stands for the room of exactly that
    /// name that <paramref name="c"/> is in. False when it is in no room of that name: code 2.
    /// </summary>
    public static bool TryResolveRoomRef(Connection c, in Request request, out long roomRef)
    {
        roomRef = request.RoomRef;
        if (request.RoomName is not { } name)
        {
            return true;
        }

        if (c.Member.Rooms is { } rooms)
        {
            foreach (var room in rooms)
            {
                if (string.Equals(room.Name, name, StringComparison.Ordinal))
                {
                    roomRef = room.Ref;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The code 2 description for a name that <see cref="TryResolveRoomRef"/> did not resolve.</summary>
    public static string UnresolvedRoomRef(in Request request) =>
        $"'{LineSyntax.Sanitize(request.RoomName ?? "")}' is neither a room ref (a non-negative integer) nor the name of a room you are in";

    /// <summary>
    /// The JOIN_ID a LEAVE_CHATROOM acts under: the connection's own, whatever the request carried (many of
    /// the exercise's clients hard-code one; the reader has already refused one that is not a non-negative
    /// integer, code 2). False when the connection has not joined yet, so has no id of its own: code 5.
    /// </summary>
    public static bool TryGetOwnJoinId(Connection c, long requested, out long joinId)
    {
        joinId = c.Member.JoinId;
        if (joinId != 0 && requested != joinId && Log.IsTraceEnabled)
        {
            Log.Trace("Connection {Id}: JOIN_ID {Requested} ignored; its own is {Own}", c.Id, requested, joinId);
        }

        return joinId != 0;
    }
}
