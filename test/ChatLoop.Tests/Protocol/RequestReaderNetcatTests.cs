using ChatLoop.Protocol;
using static ChatLoop.Tests.Protocol.ParsedRequest;

namespace ChatLoop.Tests.Protocol;

/// <summary>
/// The netcat rule: a CHAT whose head came line by line, with a silence of the message idle time after each
/// of its lines (a person typing into netcat), ends at its blank line; any other CHAT (a burst, a program
/// writing a line at a time, one that pauses once) ends after the silence as before (PROTOCOL.md §2.3 (b)). A call to <see cref="RequestReader.TryEndIdleMessage"/> is
/// the silence: the server makes it only once the idle time has passed with no byte.
/// </summary>
public sealed class RequestReaderNetcatTests
{
    [Test]
    public void TryEndIdleMessage_SilenceAfterEachHeadLine_BodyEndsOnlyAtItsBlankLine()
    {
        using var reader = new RequestReader();
        TypeHead(reader);

        Assert.That(reader.IsTypedChat, Is.True);
        reader.Append("MESSAGE: first line\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.Empty);
        Assert.That(reader.IsAwaitingMessageEnd, Is.False, "a typed body gives the idle time nothing to end");
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        reader.Append("second line\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.Empty);
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        Assert.That(reader.HasUnfinishedRequest, Is.True);

        reader.Append("\n"u8);

        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Chat(0, 1, "first line\nsecond line") }));
        Assert.That(reader.HasUnfinishedRequest, Is.False);
    }

    // '|' is a silence of the message idle time.
    [TestCase("CHAT: 0\n|JOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: hi\n")]
    [TestCase("CHAT: 0\nJOIN_ID: 1\n|CLIENT_NAME: a\nMESSAGE: hi\n")]
    [TestCase("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\n|MESSAGE: hi\n")]
    [TestCase("CHAT: 0\n|JOIN_ID: 1\n|CLIENT_NAME: a\nMESSAGE: hi\n")]
    [TestCase("CHAT: 0\nJOIN_ID: 1\n|CLIENT_NAME: a\n|MESSAGE: hi\n")]
    public void TryEndIdleMessage_SilenceAfterOnlySomeHeadLines_SilenceStillEndsTheBody(string writes)
    {
        // A program descheduled between two writes, or one that waits for its user's text before MESSAGE:
        // PROTOCOL.md §2.3 (b) holds, or a CHAT sent with no blank line would wait for the request timeout.
        using var reader = new RequestReader();
        var parts = writes.Split('|');
        foreach (var part in parts[..^1])
        {
            reader.Append(RequestFeed.Bytes(part));
            Assert.That(RequestFeed.Drain(reader), Is.Empty);
            Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        }

        reader.Append(RequestFeed.Bytes(parts[^1]));
        Assert.That(RequestFeed.Drain(reader), Is.Empty);
        Assert.That(reader.IsTypedChat, Is.False);
        Assert.That(reader.IsAwaitingMessageEnd, Is.True, "the server must watch for the silence that ends the body");

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Chat(0, 1, "hi") }));
    }

    [TestCase("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: hi\n")]
    [TestCase("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: hi")]
    [TestCase("CHAT: 0\r\nJOIN_ID: 1\r\nCLIENT_NAME: a\r\nMESSAGE: hi\r\n")]
    public void TryEndIdleMessage_WholeHeadInOneBurst_SilenceEndsTheBody(string burst)
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(burst));
        Assert.That(RequestFeed.Drain(reader), Is.Empty);
        Assert.That(reader.IsTypedChat, Is.False);

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Chat(0, 1, "hi") }));
    }

    [Test]
    public void TryEndIdleMessage_HeadSplitOverReadsWithoutSilence_SilenceStillEndsTheBody()
    {
        // A program that writes a line at a time, or a burst split over reads: no silence inside the head.
        using var reader = new RequestReader();
        foreach (var line in new[] { "CHAT: 0\n", "JOIN_ID: 1\n", "CLIENT_NAME: a\n", "MESSAGE: hi\n" })
        {
            reader.Append(RequestFeed.Bytes(line));
            Assert.That(RequestFeed.Drain(reader), Is.Empty);
        }

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Chat(0, 1, "hi") }));
    }

    [Test]
    public void TryEndIdleMessage_TypedChatThenBurst_TheNextChatIsAProgramsAgain()
    {
        using var reader = new RequestReader();
        TypeHead(reader);
        reader.Append("MESSAGE: typed\n\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Chat(0, 1, "typed") }));

        reader.Append("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: sent\n"u8);
        RequestFeed.Drain(reader);

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Chat(0, 1, "sent") }));
    }

    [Test]
    public void TryEndIdleMessage_TypedBodyEndedByARequestLine_ChatThenThatRequest()
    {
        using var reader = new RequestReader();
        TypeHead(reader);
        reader.Append("MESSAGE: one\n"u8);
        RequestFeed.Drain(reader);
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);

        reader.Append("HELO x\n"u8);

        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Chat(0, 1, "one"), Helo(" x") }));
    }

    [Test]
    public void TryEndInput_TypedBodyOpen_EofEndsIt()
    {
        using var reader = new RequestReader();
        TypeHead(reader);
        reader.Append("MESSAGE: last words\n"u8);
        RequestFeed.Drain(reader);
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);

        Assert.That(reader.TryEndInput(out var request), Is.True);
        Assert.That(From(request), Is.EqualTo(Chat(0, 1, "last words")));
        Assert.That(reader.TryEndInput(out _), Is.False);
    }

    [Test]
    public void TryEndIdleMessage_SilenceInsideAJoin_NothingWatchedNothingChanged()
    {
        // Only a CHAT has a body for the rule to decide; other requests' heads are not watched.
        using var reader = new RequestReader();
        reader.Append("JOIN_CHATROOM: r\n"u8);
        RequestFeed.Drain(reader);

        Assert.That(reader.IsAwaitingMessageEnd, Is.False);
        reader.Append("CLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Join("r", "a") }));
    }

    /// <summary>A CHAT's head as a person types it: each line, then a silence (asserting each yields nothing).</summary>
    private static void TypeHead(RequestReader reader)
    {
        foreach (var line in new[] { "CHAT: 0\n", "JOIN_ID: 1\n", "CLIENT_NAME: a\n" })
        {
            Assert.That(reader.IsTypedChat, Is.False, $"typed before '{line.TrimEnd()}'");
            reader.Append(RequestFeed.Bytes(line));
            Assert.That(RequestFeed.Drain(reader), Is.Empty);
            Assert.That(reader.IsAwaitingMessageEnd, Is.True, $"the server must watch for the silence after '{line.TrimEnd()}'");
            Assert.That(RequestFeed.EndIdle(reader), Is.Empty, $"silence after '{line.TrimEnd()}'");
        }
    }
}
