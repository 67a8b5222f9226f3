using System.Text;

namespace ChatLoop.Protocol;

/// <summary>
/// The ROOM_REF field of a LEAVE or CHAT: an integer is a ref, even when some room's name is all digits.
/// Anything else that is a valid room name is kept as a name standing for a ref (PROTOCOL.md §2.3);
/// whether it names one of this connection's rooms is the server's to decide.
/// </summary>
internal static class RoomRefField
{
    /// <summary>False when the value is neither a number nor a valid room name; otherwise the ref, or -1 and the name.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out long roomRef, out string? refName)
    {
        refName = null;
        if (LineSyntax.TryParseNumber(value, out roomRef))
        {
            return true;
        }

        roomRef = -1;
        if (Names.Check(value) is not null)
        {
            return false;
        }

        refName = Encoding.UTF8.GetString(value);
        return true;
    }
}
