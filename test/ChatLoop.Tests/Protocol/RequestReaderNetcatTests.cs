using ChatLoop.Protocol;
using static ChatLoop.Tests.Protocol.ParsedRequest;

namespace ChatLoop.Tests.Protocol;

/// <summary>
/// The netcat rule: a CHAT whose head came line by line, with a silence of the message idle time after one
/// of its lines (a person typing into netcat), ends at its blank line; a CHAT that came in one burst (a
/// program) ends after the silence as before. A call to <see cref="RequestReader.TryEndIdleMessage"/> is
/// the silence: the server makes it only once the idle time has passed with no byte.
/// </summary>
public sealed class RequestReaderNetcatTests
{
    [Test]
    public void TryEndIdleMessage_SilenceAfterEachHeadLine_BodyEndsOnlyAtItsBlankLine()
    {
        using var reader = new RequestReader();
        foreach (var line in new[] { "CHAT: 0\n", "JOIN_ID: 1\n", "CLIENT_NAME: a\n" })
        {
            reader.Append(RequestFeed.Bytes(line));
            Assert.That(RequestFeed.Drain(reader), Is.Empty);
            Assert.That(RequestFeed.EndIdle(reader), Is.Empty, $"silence after '{line.TrimEnd()}'");
        }

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

    [Test]
    public void TryEndIdleMessage_OneSilenceInTheHead_EnoughToMarkItTyped()
    {
        // A person who pasted the first lines and typed MESSAGE: the pause before MESSAGE marks it typed.
        using var reader = new RequestReader();
        reader.Append("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.Empty);
        Assert.That(reader.IsAwaitingMessageEnd, Is.True, "the server must watch for the silence");
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        reader.Append("MESSAGE: hi\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.Empty);

        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        reader.Append("there\n\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Chat(0, 1, "hi\nthere") }));
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
        reader.Append("CHAT: 0\n"u8);
        RequestFeed.Drain(reader);
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        reader.Append("JOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: typed\n\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Chat(0, 1, "typed") }));

        reader.Append("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: sent\n"u8);
        RequestFeed.Drain(reader);

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Chat(0, 1, "sent") }));
    }

    [Test]
    public void TryEndIdleMessage_TypedBodyEndedByARequestLine_ChatThenThatRequest()
    {
        using var reader = new RequestReader();
        reader.Append("CHAT: 0\n"u8);
        RequestFeed.Drain(reader);
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        reader.Append("JOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: one\n"u8);
        RequestFeed.Drain(reader);
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);

        reader.Append("HELO x\n"u8);

        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Chat(0, 1, "one"), Helo(" x") }));
    }

    [Test]
    public void TryEndInput_TypedBodyOpen_EofEndsIt()
    {
        using var reader = new RequestReader();
        reader.Append("CHAT: 0\n"u8);
        RequestFeed.Drain(reader);
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        reader.Append("JOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: last words\n"u8);
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
}
