using System.Buffers.Binary;
using System.Text;

namespace ChatLoop.Server;

/// <summary>
/// A room event as published on its room's channel: the sequence number Redis stamped (decimal, then
/// ':'), then kind, origin node, JOIN_ID and ref (little-endian), the member's name, the room's name
/// (joins only) and the CHAT body.
/// </summary>
internal static class EventCodec
{
    private const int Fixed = 1 + 8 + 8 + 8 + 1 + 1;

    /// <summary>The kind byte's flag for a leaving published by a survivor for a dead node's member.</summary>
    private const byte ReapedFlag = 0x80;

    public static byte[] Encode(RoomEventKind kind, long node, long joinId, long roomRef, ReadOnlySpan<byte> name, string? roomName, ReadOnlySpan<byte> message, bool reaped = false)
    {
        int roomBytes = roomName is null ? 0 : Encoding.UTF8.GetByteCount(roomName);
        var bytes = new byte[Fixed + name.Length + roomBytes + message.Length];
        var span = bytes.AsSpan();
        span[0] = (byte)((byte)kind | (reaped ? ReapedFlag : 0));
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], node);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], joinId);
        BinaryPrimitives.WriteInt64LittleEndian(span[17..], roomRef);
        span[25] = (byte)name.Length;
        name.CopyTo(span[26..]);
        int at = 26 + name.Length;
        span[at++] = (byte)roomBytes;
        if (roomName is not null)
        {
            at += Encoding.UTF8.GetBytes(roomName, span[at..]);
        }

        message.CopyTo(span[at..]);
        return bytes;
    }

    /// <summary>Reads a published event; false when the bytes are not one.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> published, out ClusterEvent e)
    {
        e = default;
        int colon = published.IndexOf((byte)':');
        if (colon <= 0 || !long.TryParse(published[..colon], out long seq))
        {
            return false;
        }

        var span = published[(colon + 1)..];
        if (span.Length < Fixed || (span[0] & ~ReapedFlag) is < 1 or > 4)
        {
            return false;
        }

        int nameLength = span[25];
        if (span.Length < Fixed + nameLength)
        {
            return false;
        }

        int roomAt = 26 + nameLength;
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
        return true;
    }
}
