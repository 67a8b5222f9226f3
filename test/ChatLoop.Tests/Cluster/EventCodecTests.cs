using System.Text;
using ChatLoop.Server;

namespace ChatLoop.Tests.Cluster;

[TestFixture]
public sealed class EventCodecTests
{
    [Test]
    public void Decode_WhatEncodeWroteWithASequencePrefix_SameFields()
    {
        var payload = EventCodec.Encode(RoomEventKind.Join, 7, 1001, 42, "bob"u8, "lobby ☕", "body\nline"u8);
        byte[] published = [.. "123:"u8, .. payload];

        Assert.That(EventCodec.TryDecode(published, out var e), Is.True);
        Assert.That((e.Seq, e.Kind, e.Node, e.JoinId, e.RoomRef), Is.EqualTo((123L, RoomEventKind.Join, 7L, 1001L, 42L)));
        Assert.That(Encoding.UTF8.GetString(e.Name), Is.EqualTo("bob"));
        Assert.That(Encoding.UTF8.GetString(e.RoomName), Is.EqualTo("lobby ☕"));
        Assert.That(Encoding.UTF8.GetString(e.Message), Is.EqualTo("body\nline"));
    }

    [TestCase("")]
    [TestCase("12")]
    [TestCase(":abc")]
    [TestCase("x:abc")]
    [TestCase("5:\u0009short")]
    public void Decode_NotAnEvent_False(string text)
    {
        Assert.That(EventCodec.TryDecode(Encoding.UTF8.GetBytes(text), out _), Is.False);
    }

    [Test]
    public void Decode_NameLengthPastTheEnd_False()
    {
        var payload = EventCodec.Encode(RoomEventKind.Chat, 1, 2, 3, "abc"u8, null, default);
        payload[25] = 200;
        Assert.That(EventCodec.TryDecode([.. "1:"u8, .. payload], out _), Is.False);
    }
}
