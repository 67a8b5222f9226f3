namespace ChatLoop.Protocol;

/// <summary>
/// Frames the server's byte stream into blocks in place (PROTOCOL.md: JOINED_CHATROOM is 5 lines,
/// LEFT_CHATROOM and ERROR_CODE 2, HELO 4, CHAT runs to a blank line), the blocks
/// <see cref="ServerBlocks"/> writes. Pure and allocation-free: the load tool's receive path.
/// <see cref="ResponseReader"/> is the allocating reader for people and tests.
/// </summary>
public static class BlockFramer
{
    /// <summary>
    /// Reads the block at the start of <paramref name="data"/>. Returns the bytes it takes, or 0
    /// when the block is not complete yet (the caller keeps the bytes and appends more).
    /// </summary>
    public static int TryRead(ReadOnlySpan<byte> data, out FramedBlock block)
    {
        block = default;
        int end = data.IndexOf((byte)'\n');
        if (end < 0)
        {
            return 0;
        }

        var line = data[..end];
        if (line.IsEmpty)
        {
            block.Kind = BlockKind.StrayBlankLine;
            return 1;
        }

        if (line.StartsWith("CHAT:"u8))
        {
            return ReadChat(data, end, ref block);
        }

        if (line.StartsWith("JOINED_CHATROOM:"u8))
        {
            return ReadJoined(data, ref block);
        }

        if (line.StartsWith("ERROR_CODE:"u8))
        {
            return ReadPair(data, BlockKind.Error, "ERROR_DESCRIPTION:"u8, ref block);
        }

        if (line.StartsWith("LEFT_CHATROOM:"u8))
        {
            return ReadPair(data, BlockKind.Left, "JOIN_ID:"u8, ref block);
        }

        if (line.StartsWith("HELO"u8))
        {
            block.Kind = BlockKind.Helo;
            block.WellFormed = true;
            return SkipLines(data, 4);
        }

        block.Kind = BlockKind.Unknown;
        block.First = line;
        return end + 1;
    }

    private static int ReadChat(ReadOnlySpan<byte> data, int firstEnd, ref FramedBlock block)
    {
        block.Kind = BlockKind.Chat;
        block.First = Value(data[..firstEnd], 5);
        int pos = firstEnd + 1;
        int nameEnd = LineEnd(data, pos);
        if (nameEnd < 0)
        {
            return 0;
        }

        var nameLine = data[pos..nameEnd];
        pos = nameEnd + 1;
        if (nameLine.IsEmpty)
        {
            return pos;
        }

        int messageStart = pos;
        int messageEnd = -1;
        while (true)
        {
            int end = LineEnd(data, pos);
            if (end < 0)
            {
                return 0;
            }

            if (end == pos)
            {
                break;
            }

            messageEnd = end;
            pos = end + 1;
        }

        // pos is now at the blank line that ends the block
        if (nameLine.StartsWith("CLIENT_NAME:"u8) && messageEnd > 0 && data[messageStart..].StartsWith("MESSAGE:"u8))
        {
            block.WellFormed = true;
            block.Name = Value(nameLine, 12);
            block.Message = Value(data[messageStart..messageEnd], 8);
        }

        return pos + 1;
    }

    private static int ReadJoined(ReadOnlySpan<byte> data, ref FramedBlock block)
    {
        block.Kind = BlockKind.Joined;
        Span<int> ends = stackalloc int[5];
        int pos = 0;
        for (int i = 0; i < 5; i++)
        {
            ends[i] = LineEnd(data, pos);
            if (ends[i] < 0)
            {
                return 0;
            }

            pos = ends[i] + 1;
        }

        var ip = data[(ends[0] + 1)..ends[1]];
        var port = data[(ends[1] + 1)..ends[2]];
        var roomRef = data[(ends[2] + 1)..ends[3]];
        var joinId = data[(ends[3] + 1)..ends[4]];
        block.First = Value(data[..ends[0]], 16);
        block.WellFormed = ip.StartsWith("SERVER_IP:"u8) && port.StartsWith("PORT:"u8)
            && roomRef.StartsWith("ROOM_REF:"u8) && joinId.StartsWith("JOIN_ID:"u8);
        if (block.WellFormed)
        {
            block.RoomRef = Value(roomRef, 9);
            block.JoinId = Value(joinId, 8);
        }

        return pos;
    }

    private static int ReadPair(ReadOnlySpan<byte> data, BlockKind kind, ReadOnlySpan<byte> secondKey, ref FramedBlock block)
    {
        block.Kind = kind;
        int firstEnd = LineEnd(data, 0);
        int secondEnd = LineEnd(data, firstEnd + 1);
        if (secondEnd < 0)
        {
            return 0;
        }

        var first = data[..firstEnd];
        var second = data[(firstEnd + 1)..secondEnd];
        block.First = Value(first, first.IndexOf((byte)':') + 1);
        block.WellFormed = second.StartsWith(secondKey);
        if (block.WellFormed)
        {
            var value = Value(second, secondKey.Length);
            if (kind == BlockKind.Error)
            {
                block.Message = value;
            }
            else
            {
                block.JoinId = value;
            }
        }

        return secondEnd + 1;
    }

    private static int SkipLines(ReadOnlySpan<byte> data, int count)
    {
        int pos = 0;
        for (int i = 0; i < count; i++)
        {
            int end = LineEnd(data, pos);
            if (end < 0)
            {
                return 0;
            }

            pos = end + 1;
        }

        return pos;
    }

    private static int LineEnd(ReadOnlySpan<byte> data, int from)
    {
        if (from >= data.Length)
        {
            return -1;
        }

        int i = data[from..].IndexOf((byte)'\n');
        return i < 0 ? -1 : from + i;
    }

    /// <summary>The text after the key's colon, without the leading spaces.</summary>
    private static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> line, int afterColon)
    {
        var value = line[afterColon..];
        int i = 0;
        while (i < value.Length && value[i] == (byte)' ')
        {
            i++;
        }

        return value[i..];
    }
}
