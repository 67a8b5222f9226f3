using System.Buffers.Binary;
using System.Buffers.Text;

namespace ChatLoop.Server;

/// <summary>
/// The cluster's wire format, both directions. A node hands the batch script one <em>piece</em> per event:
/// the length of the rest (u32), then kind (with the reaped flag), member's node, JOIN_ID and ref
/// (little-endian i64), the member's name, the room's name (joins only) and the CHAT body. What a node
/// receives on its inbox channel is one message per publishing node per batch: a header (the publishing
/// node's id in decimal, then '\n'), then for each event of a room it follows, the sequence number Redis
/// stamped (decimal, then ':') and the piece as it was sent. Decoding reads spans over the message: no
/// copy per event.
/// </summary>
internal static class EventCodec
{
    /// <summary>The piece's length field.</summary>
    public const int LengthBytes = 4;

    private const int Fixed = 1 + 8 + 8 + 8 + 1 + 1;

    /// <summary>The kind byte's flag for a leaving published by a survivor for a dead node's member.</summary>
    private const byte ReapedFlag = 0x80;

    /// <summary>The bytes <see cref="WritePiece"/> writes for these fields.</summary>
    public static int PieceSize(int nameBytes, int roomNameBytes, int messageBytes) => LengthBytes + Fixed + nameBytes + roomNameBytes + messageBytes;

    /// <summary>Writes one event's piece at the start of <paramref name="into"/> (sized by <see cref="PieceSize"/>); returns its length.</summary>
    public static int WritePiece(Span<byte> into, RoomEventKind kind, long node, long joinId, long roomRef, ReadOnlySpan<byte> name, ReadOnlySpan<byte> roomName, ReadOnlySpan<byte> message, bool reaped = false)
    {
        int size = PieceSize(name.Length, roomName.Length, message.Length);
        var span = into[..size];
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)(size - LengthBytes));
        span = span[LengthBytes..];
        span[0] = (byte)((byte)kind | (reaped ? ReapedFlag : 0));
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], node);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], joinId);
        BinaryPrimitives.WriteInt64LittleEndian(span[17..], roomRef);
        span[25] = (byte)name.Length;
        name.CopyTo(span[26..]);
        int at = 26 + name.Length;
        span[at++] = (byte)roomName.Length;
        roomName.CopyTo(span[at..]);
        message.CopyTo(span[(at + roomName.Length)..]);
        return size;
    }

    /// <summary>One event's piece as a new array (tests, and the reaper's few events).</summary>
    public static byte[] Piece(RoomEventKind kind, long node, long joinId, long roomRef, ReadOnlySpan<byte> name, ReadOnlySpan<byte> roomName, ReadOnlySpan<byte> message, bool reaped = false)
    {
        var bytes = new byte[PieceSize(name.Length, roomName.Length, message.Length)];
        WritePiece(bytes, kind, node, joinId, roomRef, name, roomName, message, reaped);
        return bytes;
    }

    /// <summary>An inbox message's header: the publishing node.</summary>
    public static byte[] Header(long publisher) => System.Text.Encoding.ASCII.GetBytes($"{publisher}\n");

    /// <summary>Reads an inbox message's header and leaves <paramref name="rest"/> at its first event; false when it is not one.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> message, out long publisher, out ReadOnlySpan<byte> rest)
    {
        rest = default;
        publisher = 0;
        int end = message.IndexOf((byte)'\n');
        if (end <= 0 || !Utf8Parser.TryParse(message[..end], out publisher, out int used) || used != end)
        {
            return false;
        }

        rest = message[(end + 1)..];
        return true;
    }

    /// <summary>Reads the next event of an inbox message and moves <paramref name="rest"/> past it; false when the bytes are not one.</summary>
    public static bool TryReadEvent(ref ReadOnlySpan<byte> rest, out ClusterEvent e)
    {
        e = default;
        int colon = rest.IndexOf((byte)':');
        if (colon <= 0 || !Utf8Parser.TryParse(rest[..colon], out long seq, out int used) || used != colon || seq <= 0)
        {
            return false;
        }

        var tail = rest[(colon + 1)..];
        if (tail.Length < LengthBytes)
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        tail = tail[LengthBytes..];
        if (length < Fixed || length > (uint)tail.Length)
        {
            return false;
        }

        var span = tail[..(int)length];
        if ((span[0] & ~ReapedFlag) is < 1 or > 4)
        {
            return false;
        }

        int nameLength = span[25];
        int roomAt = 26 + nameLength;
        if (span.Length < Fixed + nameLength)
        {
            return false;
        }

        int roomLength = span[roomAt];
        if (span.Length < Fixed + nameLength + roomLength)
        {
            return false;
        }

        e = new ClusterEvent(
            seq,
            (RoomEventKind)(span[0] & ~ReapedFlag),
            (span[0] & ReapedFlag) != 0,
            BinaryPrimitives.ReadInt64LittleEndian(span[1..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[9..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[17..]),
            span.Slice(26, nameLength),
            span.Slice(roomAt + 1, roomLength),
            span[(roomAt + 1 + roomLength)..]);
        rest = tail[(int)length..];
        return true;
    }
}
