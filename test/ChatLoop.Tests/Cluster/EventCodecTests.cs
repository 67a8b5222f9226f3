using System.Text;
using ChatLoop.Server;
using ChatLoop.Server.Cluster;
using ChatLoop.Server.Sequencing;

namespace ChatLoop.Tests.Cluster;

[TestFixture]
public sealed class EventCodecTests
{
    /// <summary>An inbox message as the batch script makes it: the header, then per unit its first number (i64) and the piece.</summary>
    internal static byte[] Message(long publisher, params (long Seq, byte[] Piece)[] units)
    {
        var bytes = new List<byte>(EventCodec.Header(publisher));
        foreach (var (seq, piece) in units)
        {
            bytes.AddRange(BitConverter.GetBytes(seq));
            bytes.AddRange(piece);
        }

        return [.. bytes];
    }

    private static List<(long Seq, RoomEventKind Kind, bool Reaped, long Ref, string Message)> Read(byte[] message)
    {
        Assert.That(EventCodec.TryReadHeader(message, out _, out var rest), Is.True);
        var seen = new List<(long, RoomEventKind, bool, long, string)>();
        while (!rest.IsEmpty)
        {
            Assert.That(EventCodec.TryReadEvent(ref rest, out var e), Is.True);
            var bodies = e.Message;
            for (int i = 0; i < e.Count; i++)
            {
                string text = e.Kind == RoomEventKind.Chat ? Encoding.UTF8.GetString(EventCodec.NextMessage(ref bodies)) : "";
                seen.Add((e.Seq + i, e.Kind, e.Reaped, e.RoomRef, text));
            }

            Assert.That(bodies.IsEmpty, Is.True);
        }

        return seen;
    }

    [Test]
    public void ReadEvent_WhatWritePieceWroteBehindASequenceNumber_SameFields()
    {
        var piece = EventCodec.Piece(RoomEventKind.Join, 7, 1001, 42, "bob"u8, "lobby ☕"u8, default);

        Assert.That(EventCodec.TryReadHeader(Message(9, (123, piece)), out long publisher, out var rest), Is.True);
        Assert.That(EventCodec.TryReadEvent(ref rest, out var e), Is.True);
        Assert.That(publisher, Is.EqualTo(9));
        Assert.That((e.Seq, e.Kind, e.Reaped, e.Count, e.Node, e.JoinId, e.RoomRef), Is.EqualTo((123L, RoomEventKind.Join, false, 1, 7L, 1001L, 42L)));
        Assert.That(Encoding.UTF8.GetString(e.Name), Is.EqualTo("bob"));
        Assert.That(Encoding.UTF8.GetString(e.RoomName), Is.EqualTo("lobby ☕"));
        Assert.That(e.Message.IsEmpty, Is.True);
        Assert.That(rest.IsEmpty, Is.True);
    }

    [Test]
    public void ReadEvent_SeveralUnitsInOneMessage_EachInOrderWithItsOwnBody()
    {
        var message = Message(
            3,
            (5, EventCodec.Piece(RoomEventKind.Chat, 3, 11, 0, "a"u8, default, "first: with a colon"u8)),
            (1, EventCodec.Piece(RoomEventKind.Gone, 4, 12, 2, "b"u8, default, default, reaped: true)),
            (6, EventCodec.Piece(RoomEventKind.Chat, 3, 11, 0, "a"u8, default, "9:second"u8)));

        Assert.That(Read(message), Is.EqualTo(new[]
        {
            (5L, RoomEventKind.Chat, false, 0L, "first: with a colon"),
            (1L, RoomEventKind.Gone, true, 2L, ""),
            (6L, RoomEventKind.Chat, false, 0L, "9:second"),
        }));
    }

    [Test]
    public void AppendToRun_ChatsOfOneMember_OneUnitNumberedConsecutively()
    {
        var first = EventCodec.Piece(RoomEventKind.Chat, 3, 11, 4, "a"u8, default, "one"u8);
        var run = new byte[first.Length + EventCodec.RunGrowth(3) + EventCodec.RunGrowth(0)];
        first.CopyTo(run, 0);
        Assert.That(EventCodec.AppendToRun(run, first.Length, "two"u8), Is.EqualTo(2));
        Assert.That(EventCodec.AppendToRun(run, first.Length + EventCodec.RunGrowth(3), default), Is.EqualTo(3));

        Assert.That(Read(Message(3, (40, run))), Is.EqualTo(new[]
        {
            (40L, RoomEventKind.Chat, false, 4L, "one"),
            (41L, RoomEventKind.Chat, false, 4L, "two"),
            (42L, RoomEventKind.Chat, false, 4L, ""),
        }));
    }

    [Test]
    public void ReadEvent_NotAUnit_False()
    {
        var chat = EventCodec.Piece(RoomEventKind.Chat, 1, 2, 3, "abc"u8, default, "hello"u8);
        byte[][] bad =
        [
            [],
            [1, 0, 0, 0],
            [.. BitConverter.GetBytes(0L), .. chat],                      // numbers start at 1
            [.. BitConverter.GetBytes(1L), .. chat[..^1]],                // shorter than its length says
            [.. BitConverter.GetBytes(1L), .. Patched(chat, 4, 9)],       // no such kind
            [.. BitConverter.GetBytes(1L), .. Patched(chat, 5, 2)],       // says two chats, holds one
            [.. BitConverter.GetBytes(1L), .. Patched(chat, 4 + 27, 200)], // name past the end
        ];
        foreach (var bytes in bad)
        {
            ReadOnlySpan<byte> rest = bytes;
            Assert.That(EventCodec.TryReadEvent(ref rest, out _), Is.False, TestSupport(bytes));
        }
    }

    [TestCase("")]
    [TestCase("\n")]
    [TestCase("12")]
    [TestCase("1x\n")]
    public void ReadHeader_NotAHeader_False(string text)
    {
        Assert.That(EventCodec.TryReadHeader(Encoding.UTF8.GetBytes(text), out _, out _), Is.False);
    }

    private static byte[] Patched(byte[] piece, int at, byte value)
    {
        var copy = (byte[])piece.Clone();
        copy[at] = value;
        return copy;
    }

    private static string TestSupport(byte[] bytes) => Convert.ToHexString(bytes);
}
