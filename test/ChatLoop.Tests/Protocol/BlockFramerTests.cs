using System.Buffers;
using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Protocol;

public sealed class BlockFramerTests
{
    /// <summary>One block of each kind, as the server's own encoders write them.</summary>
    private static byte[] Stream()
    {
        var w = new ArrayBufferWriter<byte>();
        ServerBlocks.Joined(w, "room1", "127.0.0.1", 5000, roomRef: 3, joinId: 12);
        ServerBlocks.JoinNotice(w, 3, "c4"u8);
        ServerBlocks.Chat(w, 3, "c4"u8, "line one\nline two"u8);
        ServerBlocks.Error(w, ErrorCode.NoSuchRoom, "no such room");
        ServerBlocks.Left(w, 3, 12);
        ServerBlocks.Helo(w, "hi"u8, "127.0.0.1", 5000, "1");
        return w.WrittenSpan.ToArray();
    }

    private static List<string> ReadAll(ReadOnlySpan<byte> data, out int consumed)
    {
        var seen = new List<string>();
        consumed = 0;
        while (true)
        {
            int used = BlockFramer.TryRead(data[consumed..], out var b);
            if (used == 0)
            {
                return seen;
            }

            consumed += used;
            seen.Add($"{b.Kind}|{b.WellFormed}|{S(b.First)}|{S(b.Name)}|{S(b.Message)}|{S(b.RoomRef)}|{S(b.JoinId)}");
        }
    }

    private static string S(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    [Test]
    public void TryRead_ServerEncodedBlocks_EachKindAndItsFields()
    {
        var data = Stream();
        var seen = ReadAll(data, out int consumed);
        Assert.That(consumed, Is.EqualTo(data.Length));
        Assert.That(seen, Is.EqualTo(new[]
        {
            "Joined|True|room1|||3|12",
            "Chat|True|3|c4|c4 has joined this chatroom.||",
            "Chat|True|3|c4|line one\nline two||",
            "Error|True|4||no such room||",
            "Left|True|3||||12",
            "Helo|True|||||",
        }));
    }

    [Test]
    public void TryRead_StreamCutAnywhere_NoBlockUntilCompleteAndSameBlocksAfter()
    {
        var data = Stream();
        var whole = ReadAll(data, out _);
        for (int cut = 0; cut < data.Length; cut++)
        {
            var first = ReadAll(data.AsSpan(0, cut), out int consumed);
            var rest = ReadAll(data.AsSpan(consumed), out int restConsumed);
            Assert.That(first.Concat(rest), Is.EqualTo(whole), $"cut at {cut}");
            Assert.That(consumed + restConsumed, Is.EqualTo(data.Length));
        }
    }

    [Test]
    public void TryRead_BlankLineBetweenBlocks_StrayBlankLine()
    {
        var seen = ReadAll("LEFT_CHATROOM: 1\nJOIN_ID: 2\n\nCHAT: 1\nCLIENT_NAME: a\nMESSAGE: m\n\n"u8, out _);
        Assert.That(seen.Select(s => s.Split('|')[0]), Is.EqualTo(new[] { "Left", "StrayBlankLine", "Chat" }));
    }

    [Test]
    public void TryRead_ChatWithoutClientName_NotWellFormed()
    {
        var seen = ReadAll("CHAT: 1\nMESSAGE: m\n\nCHAT: 1\nCLIENT_NAME: a\nMESSAGE: ok\n\n"u8, out _);
        Assert.That(seen, Is.EqualTo(new[] { "Chat|False|1||||", "Chat|True|1|a|ok||" }));
    }

    [Test]
    public void TryRead_UnknownLine_OneLineAtATime()
    {
        var seen = ReadAll("WHAT: x\nCHAT: 1\nCLIENT_NAME: a\nMESSAGE: ok\n\n"u8, out _);
        Assert.That(seen, Is.EqualTo(new[] { "Unknown|False|WHAT: x||||", "Chat|True|1|a|ok||" }));
    }
}
