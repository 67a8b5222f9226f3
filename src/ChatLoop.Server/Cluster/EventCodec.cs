using System.Buffers.Binary;
using System.Buffers.Text;
using ChatLoop.Server.Sequencing;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The cluster's wire format, both directions. A node hands the batch script one <em>piece</em> per unit:
/// the length of the rest (u32), kind (with the reaped flag), count (u16), member's node, JOIN_ID and ref
/// (i64), the member's name, the room's name (joins only), then for chats <c>count</c> bodies, each its
/// length (u32) and bytes. A unit is one event, or a run of one member's consecutive chats in one room. What
/// a node receives on its inbox channel is one message per publishing node per batch: a header (the
/// publishing node's id in decimal, then '\n'), then per unit of a room it follows the first sequence
/// number Redis gave it (i64) and the piece as it was sent. All little-endian. Decoding reads spans over
/// the message: no copy per event.
/// </summary>
internal static class EventCodec
{
    /// <summary>The piece's length field.</summary>
    public const int LengthBytes = 4;

    /// <summary>The sequence number in front of a piece in an inbox message.</summary>
    public const int SeqBytes = 8;

    /// <summary>A chat body's length field.</summary>
    public const int BodyLengthBytes = 4;

    /// <summary>Offsets in a piece after its length field.</summary>
    private const int CountAt = 1, NodeAt = 3, JoinIdAt = 11, RefAt = 19, NameAt = 27;

    private const int Fixed = NameAt + 1 + 1;

    /// <summary>The kind byte's flag for a leaving published by a survivor for a dead node's member.</summary>
    private const byte ReapedFlag = 0x80;

    /// <summary>A run of chats holds at most this many (the count is a u16).</summary>
    public const int MaxRun = ushort.MaxValue;

    /// <summary>The bytes <see cref="WritePiece"/> writes for these fields.</summary>
    public static int PieceSize(int nameBytes, int roomNameBytes, int messageBytes, bool chat) =>
        LengthBytes + Fixed + nameBytes + roomNameBytes + (chat ? BodyLengthBytes + messageBytes : 0);

    /// <summary>The bytes one more chat adds to a run.</summary>
    public static int RunGrowth(int messageBytes) => BodyLengthBytes + messageBytes;

    /// <summary>Writes one event's piece at the start of <paramref name="into"/> (sized by <see cref="PieceSize"/>); returns its length.</summary>
    public static int WritePiece(Span<byte> into, RoomEventKind kind, long node, long joinId, long roomRef, ReadOnlySpan<byte> name, ReadOnlySpan<byte> roomName, ReadOnlySpan<byte> message, bool reaped = false)
    {
        bool chat = kind == RoomEventKind.Chat;
        int size = PieceSize(name.Length, roomName.Length, message.Length, chat);
        var span = into[..size];
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)(size - LengthBytes));
        span = span[LengthBytes..];
        span[0] = (byte)((byte)kind | (reaped ? ReapedFlag : 0));
        BinaryPrimitives.WriteUInt16LittleEndian(span[CountAt..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(span[NodeAt..], node);
        BinaryPrimitives.WriteInt64LittleEndian(span[JoinIdAt..], joinId);
        BinaryPrimitives.WriteInt64LittleEndian(span[RefAt..], roomRef);
        span[NameAt] = (byte)name.Length;
        name.CopyTo(span[(NameAt + 1)..]);
        int at = NameAt + 1 + name.Length;
        span[at++] = (byte)roomName.Length;
        roomName.CopyTo(span[at..]);
        at += roomName.Length;
        if (chat)
        {
            WriteBody(span[at..], message);
        }

        return size;
    }

    /// <summary>
    /// Appends a chat to the chat run <paramref name="piece"/> ends with: <paramref name="piece"/> is the run's
    /// piece followed by <see cref="RunGrowth"/> free bytes. Returns the run's new count.
    /// </summary>
    public static int AppendToRun(Span<byte> piece, int pieceLength, ReadOnlySpan<byte> message)
    {
        WriteBody(piece[pieceLength..], message);
        int grown = pieceLength + RunGrowth(message.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(piece, (uint)(grown - LengthBytes));
        var count = piece[(LengthBytes + CountAt)..];
        int runs = BinaryPrimitives.ReadUInt16LittleEndian(count) + 1;
        BinaryPrimitives.WriteUInt16LittleEndian(count, (ushort)runs);
        return runs;
    }

    /// <summary>One event's piece as a new array (tests).</summary>
    public static byte[] Piece(RoomEventKind kind, long node, long joinId, long roomRef, ReadOnlySpan<byte> name, ReadOnlySpan<byte> roomName, ReadOnlySpan<byte> message, bool reaped = false)
    {
        var bytes = new byte[PieceSize(name.Length, roomName.Length, message.Length, kind == RoomEventKind.Chat)];
        WritePiece(bytes, kind, node, joinId, roomRef, name, roomName, message, reaped);
        return bytes;
    }

    /// <summary>An inbox message's header: the publishing node.</summary>
    public static byte[] Header(long publisher) => System.Text.Encoding.ASCII.GetBytes($"{publisher}\n");

    /// <summary>Reads an inbox message's header and leaves <paramref name="rest"/> at its first unit; false when it is not one.</summary>
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

    /// <summary>Reads the next unit of an inbox message and moves <paramref name="rest"/> past it; false when the bytes are not one.</summary>
    public static bool TryReadEvent(ref ReadOnlySpan<byte> rest, out ClusterEvent e)
    {
        e = default;
        if (rest.Length < SeqBytes + LengthBytes)
        {
            return false;
        }

        long seq = BinaryPrimitives.ReadInt64LittleEndian(rest);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(rest[SeqBytes..]);
        var tail = rest[(SeqBytes + LengthBytes)..];
        if (seq <= 0 || length < Fixed || length > (uint)tail.Length)
        {
            return false;
        }

        var span = tail[..(int)length];
        var kind = (RoomEventKind)(span[0] & ~ReapedFlag);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[CountAt..]);
        if (kind is < RoomEventKind.Join or > RoomEventKind.Gone || count < 1 || (count > 1 && kind != RoomEventKind.Chat))
        {
            return false;
        }

        int nameLength = span[NameAt];
        int roomAt = NameAt + 1 + nameLength;
        if (span.Length < Fixed + nameLength)
        {
            return false;
        }

        int roomLength = span[roomAt];
        if (span.Length < Fixed + nameLength + roomLength)
        {
            return false;
        }

        var body = span[(roomAt + 1 + roomLength)..];
        if (kind == RoomEventKind.Chat ? !RunFits(body, count) : !body.IsEmpty)
        {
            return false;
        }

        e = new ClusterEvent(
            seq,
            kind,
            (span[0] & ReapedFlag) != 0,
            count,
            BinaryPrimitives.ReadInt64LittleEndian(span[NodeAt..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[JoinIdAt..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[RefAt..]),
            span.Slice(NameAt + 1, nameLength),
            span.Slice(roomAt + 1, roomLength),
            body);
        rest = tail[(int)length..];
        return true;
    }

    /// <summary>Takes the next chat body of a run (checked by <see cref="TryReadEvent"/>).</summary>
    public static ReadOnlySpan<byte> NextMessage(ref ReadOnlySpan<byte> bodies)
    {
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bodies);
        var message = bodies.Slice(BodyLengthBytes, length);
        bodies = bodies[(BodyLengthBytes + length)..];
        return message;
    }

    private static void WriteBody(Span<byte> into, ReadOnlySpan<byte> message)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(into, (uint)message.Length);
        message.CopyTo(into[BodyLengthBytes..]);
    }

    /// <summary>True when <paramref name="bodies"/> is exactly <paramref name="count"/> length-prefixed bodies.</summary>
    private static bool RunFits(ReadOnlySpan<byte> bodies, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (bodies.Length < BodyLengthBytes)
            {
                return false;
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bodies);
            if (length > (uint)(bodies.Length - BodyLengthBytes))
            {
                return false;
            }

            bodies = bodies[(BodyLengthBytes + (int)length)..];
        }

        return bodies.IsEmpty;
    }
}
