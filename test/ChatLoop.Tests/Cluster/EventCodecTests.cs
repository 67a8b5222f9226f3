using System.Text;
using ChatLoop.Server;

namespace ChatLoop.Tests.Cluster;

[TestFixture]
public sealed class EventCodecTests
{
    /// <summary>An inbox message as the batch script makes it: the header, then "seq:" and the piece per event.</summary>
    private static byte[] Message(long publisher, params (long Seq, byte[] Piece)[] events)
    {
        var bytes = new List<byte>(EventCodec.Header(publisher));
        foreach (var (seq, piece) in events)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes($"{seq}:"));
            bytes.AddRange(piece);
        }

        return [.. bytes];
    }

    [Test]
    public void ReadEvent_WhatWritePieceWroteBehindASequenceNumber_SameFields()
    {
        var piece = EventCodec.Piece(RoomEventKind.Join, 7, 1001, 42, "bob"u8, "lobby ☕"u8, "body\nline"u8);

        Assert.That(EventCodec.TryReadHeader(Message(9, (123, piece)), out long publisher, out var rest), Is.True);
        Assert.That(EventCodec.TryReadEvent(ref rest, out var e), Is.True);
        Assert.That(publisher, Is.EqualTo(9));
        Assert.That((e.Seq, e.Kind, e.Reaped, e.Node, e.JoinId, e.RoomRef), Is.EqualTo((123L, RoomEventKind.Join, false, 7L, 1001L, 42L)));
        Assert.That(Encoding.UTF8.GetString(e.Name), Is.EqualTo("bob"));
        Assert.That(Encoding.UTF8.GetString(e.RoomName), Is.EqualTo("lobby ☕"));
        Assert.That(Encoding.UTF8.GetString(e.Message), Is.EqualTo("body\nline"));
        Assert.That(rest.IsEmpty, Is.True);
    }

    [Test]
    public void ReadEvent_SeveralEventsInOneMessage_EachInOrderWithItsOwnBody()
    {
        var message = Message(
            3,
            (5, EventCodec.Piece(RoomEventKind.Chat, 3, 11, 0, "a"u8, default, "first: with a colon"u8)),
            (1, EventCodec.Piece(RoomEventKind.Gone, 4, 12, 2, "b"u8, default, default, reaped: true)),
            (6, EventCodec.Piece(RoomEventKind.Chat, 3, 11, 0, "a"u8, default, "9:second"u8)));
        Assert.That(EventCodec.TryReadHeader(message, out _, out var rest), Is.True);

        var seen = new List<(long, RoomEventKind, bool, long, string)>();
        while (!rest.IsEmpty)
        {
            Assert.That(EventCodec.TryReadEvent(ref rest, out var e), Is.True);
            seen.Add((e.Seq, e.Kind, e.Reaped, e.RoomRef, Encoding.UTF8.GetString(e.Message)));
        }

        Assert.That(seen, Is.EqualTo(new[]
        {
            (5L, RoomEventKind.Chat, false, 0L, "first: with a colon"),
            (1L, RoomEventKind.Gone, true, 2L, ""),
            (6L, RoomEventKind.Chat, false, 0L, "9:second"),
        }));
    }

    [TestCase("")]
    [TestCase("12")]
    [TestCase(":abc")]
    [TestCase("x:abc")]
    [TestCase("0:abcd")]
    [TestCase("5:\u0009short")]
    public void ReadEvent_NotAnEvent_False(string text)
    {
        ReadOnlySpan<byte> rest = Encoding.UTF8.GetBytes(text);
        Assert.That(EventCodec.TryReadEvent(ref rest, out _), Is.False);
    }

    [TestCase("")]
    [TestCase("\n")]
    [TestCase("12")]
    [TestCase("1x\n")]
    public void ReadHeader_NotAHeader_False(string text)
    {
        Assert.That(EventCodec.TryReadHeader(Encoding.UTF8.GetBytes(text), out _, out _), Is.False);
    }

    [Test]
    public void ReadEvent_NameLengthPastTheEnd_False()
    {
        var piece = EventCodec.Piece(RoomEventKind.Chat, 1, 2, 3, "abc"u8, default, default);
        piece[EventCodec.LengthBytes + 25] = 200;
        ReadOnlySpan<byte> rest = [.. "1:"u8, .. piece];
        Assert.That(EventCodec.TryReadEvent(ref rest, out _), Is.False);
    }

    [Test]
    public void ReadEvent_PieceLengthPastTheEnd_False()
    {
        var piece = EventCodec.Piece(RoomEventKind.Chat, 1, 2, 3, "abc"u8, default, "hello"u8);
        ReadOnlySpan<byte> rest = [.. "1:"u8, .. piece[..^1]];
        Assert.That(EventCodec.TryReadEvent(ref rest, out _), Is.False);
    }
}
