using ChatLoop.Protocol;
using static ChatLoop.Tests.Protocol.ParsedRequest;

namespace ChatLoop.Tests.Protocol;

/// <summary>PROTOCOL.md §2.3: where a CHAT body ends and what it holds.</summary>
public sealed class RequestReaderChatBodyTests
{
    private const string Head = "CHAT: 4\nJOIN_ID: 2\nCLIENT_NAME: a\nMESSAGE: ";

    [TestCase("one line\n\n", "one line")]
    [TestCase("first\nsecond\nthird\n\n", "first\nsecond\nthird")]
    [TestCase("first\n   indented  \n\ttabbed\t\n\n", "first\n   indented  \n\ttabbed\t")]
    [TestCase("   trimmed first line   \n\n", "trimmed first line")]
    [TestCase("first\r\nsecond\r\n\r\n", "first\nsecond")]
    [TestCase("first\rsecond\r\r", "first\nsecond")]
    [TestCase("a: b\nKEY: value\nMESSAGE: again\n\n", "a: b\nKEY: value\nMESSAGE: again")]
    [TestCase("HELP\nSTATS\nHELOx\nCHATTY: no\nJOIN_ID: 9\n\n", "HELP\nSTATS\nHELOx\nCHATTY: no\nJOIN_ID: 9")]
    [TestCase("\n\n", "")]
    [TestCase("ünï©ødé ☕\n🙂\n\n", "ünï©ødé ☕\n🙂")]
    [TestCase("x\n \n", "x")]
    [TestCase("x\n\t\t\n", "x")]
    public void TryRead_ChatBody_EndsAtFirstBlankLineWithLinesJoinedByLf(string bodyAndEnd, string message)
    {
        var parsed = RequestFeed.Parse(Head + bodyAndEnd);

        Assert.That(parsed, Has.Count.GreaterThanOrEqualTo(1));
        Assert.That(parsed[0], Is.EqualTo(Chat(4, 2, message)));
    }

    [Test]
    public void TryRead_EmptyMessageValueThenMoreLines_BodyIsLinesJoinedByLf()
    {
        // "MESSAGE:" with nothing after it, then a line: the first line is empty, joined by LF to the next.
        var parsed = RequestFeed.Parse("CHAT: 4\nJOIN_ID: 2\nCLIENT_NAME: a\nMESSAGE:\nsecond\n\n");

        Assert.That(parsed, Is.EqualTo(new[] { Chat(4, 2, "\nsecond") }));
    }

    [TestCase("JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n", RequestKind.Join)]
    [TestCase("LEAVE_CHATROOM: 4\nJOIN_ID: 2\nCLIENT_NAME: a\n", RequestKind.Leave)]
    [TestCase("CHAT: 4\nJOIN_ID: 2\nCLIENT_NAME: a\nMESSAGE: next\n\n", RequestKind.Chat)]
    [TestCase("DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: a\n", RequestKind.Disconnect)]
    [TestCase("HELO there\n", RequestKind.Helo)]
    [TestCase("KILL_SERVICE\n", RequestKind.KillService)]
    [TestCase("chat:4\njoin_id:2\nclient_name:a\nmessage:next\n\n", RequestKind.Chat)]
    [TestCase("  helo there\n", RequestKind.Helo)]
    public void TryRead_BodyEndedBySingleLfThenRequest_ChatThenThatRequest(string next, RequestKind nextKind)
    {
        var parsed = RequestFeed.Parse(Head + "hello\nworld\n" + next);

        Assert.That(parsed, Has.Count.EqualTo(2));
        Assert.That(parsed[0], Is.EqualTo(Chat(4, 2, "hello\nworld")));
        Assert.That(parsed[1].Kind, Is.EqualTo(nextKind));
        Assert.That(parsed[1], Is.EqualTo(RequestFeed.Parse(next)[0]));
    }

    [TestCase("HELP\n")]
    [TestCase("STATS\n")]
    public void TryRead_ExtensionWordInBody_StaysInTheBody(string line)
    {
        // §2.3 lists the lines that end a body; HELP and STATS (§6) are not among them.
        var parsed = RequestFeed.Parse(Head + "x\n" + line + "\n");

        Assert.That(parsed, Is.EqualTo(new[] { Chat(4, 2, "x\n" + line.TrimEnd('\n')) }));
    }

    [Test]
    public void TryRead_BodyEndedByRequestArrivingInALaterRead_ChatThenThatRequest()
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(Head + "hi\n"));
        Assert.That(RequestFeed.Drain(reader), Is.Empty);

        reader.Append("HELO x\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Chat(4, 2, "hi"), Helo(" x") }));
    }

    [Test]
    public void TryRead_LargeMultiLineBody_KeptWhole()
    {
        var lines = Enumerable.Range(0, 500).Select(i => $"line {i}:" + new string('x', i % 70)).ToArray();
        var parsed = RequestFeed.Parse(Head + string.Join("\n", lines) + "\n\n");

        Assert.That(parsed, Is.EqualTo(new[] { Chat(4, 2, string.Join("\n", lines)) }));
    }

    [Test]
    public void TryRead_BodyBytesNotValidUtf8_KeptAsSent()
    {
        byte[] input = [.. RequestFeed.Bytes(Head), 0xFF, 0xC3, (byte)'\n', 0x80, (byte)'\n', (byte)'\n'];

        var parsed = RequestFeed.Parse(input);

        Assert.That(parsed, Has.Count.EqualTo(1));
        Assert.That(parsed[0].MessageBytes, Is.EqualTo("\u00FF\u00C3\n\u0080"));
    }

    [Test]
    public void TryEndIdleMessage_AfterCompleteMessageLine_EndsTheChat()
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(Head + "hello\n"));
        Assert.That(RequestFeed.Drain(reader), Is.Empty);
        Assert.That(reader.IsAwaitingMessageEnd, Is.True);

        Assert.That(reader.TryEndIdleMessage(out var request), Is.True);
        Assert.That(ParsedRequest.From(request), Is.EqualTo(Chat(4, 2, "hello")));
        Assert.That(reader.IsAwaitingMessageEnd, Is.False);
        Assert.That(reader.HasUnfinishedRequest, Is.False);
    }

    [Test]
    public void TryEndIdleMessage_AfterSeveralBodyLines_EndsWithAllOfThem()
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(Head + "one\ntwo\n"));
        RequestFeed.Drain(reader);
        reader.Append("three\n"u8);
        RequestFeed.Drain(reader);

        Assert.That(reader.TryEndIdleMessage(out var request), Is.True);
        Assert.That(ParsedRequest.From(request), Is.EqualTo(Chat(4, 2, "one\ntwo\nthree")));
    }

    [Test]
    public void TryEndIdleMessage_InTheMiddleOfALine_EndsTheLineAndTheChat()
    {
        // PROTOCOL.md §1: a line with no line end counts as ended once the message idle time passes.
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(Head + "hello\nwor"));
        Assert.That(RequestFeed.Drain(reader), Is.Empty);
        Assert.That(reader.IsAwaitingMessageEnd, Is.True);

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Chat(4, 2, "hello\nwor") }));

        // What comes after the silence starts afresh: here a line that is no request.
        reader.Append("ld\n\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Invalid(ErrorCode.UnknownRequest) }));
    }

    [Test]
    public void TryEndIdleMessage_InTheMiddleOfTheMessageLine_EndsTheChatWithWhatCame()
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(Head + "hel"));
        RequestFeed.Drain(reader);

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Chat(4, 2, "hel") }));
        Assert.That(reader.HasUnfinishedRequest, Is.False);
    }

    [TestCase("")]
    [TestCase("HELO x\n")]
    [TestCase("JOIN_CHATROOM: r\nCLIENT_IP: 0\n")]
    [TestCase("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n\n")]
    [TestCase("CHAT: 0\nJOIN_ID: x\nCLIENT_NAME: a\nMESSAGE: m\n")]
    [TestCase("  \r\n")]
    public void TryEndIdleMessage_NoOpenBody_False(string input)
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(input));
        RequestFeed.Drain(reader);

        Assert.That(reader.IsAwaitingMessageEnd, Is.False);
        Assert.That(reader.TryEndIdleMessage(out _), Is.False);
    }

    [Test]
    public void TryEndIdleMessage_ThenMoreRequests_ReadNormally()
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(Head + "hello\n"));
        RequestFeed.Drain(reader);
        Assert.That(reader.TryEndIdleMessage(out _), Is.True);

        // The blank line that a slow client sends late is a blank line between requests.
        reader.Append("\nHELO x\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Helo(" x") }));
    }

    [Test]
    public void TryEndIdleMessage_BodyEndedByLoneCrAndLfComesLater_LfIsNotABlankLine()
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(Head + "hello\r"));
        RequestFeed.Drain(reader);
        Assert.That(reader.TryEndIdleMessage(out var request), Is.True);
        Assert.That(ParsedRequest.From(request), Is.EqualTo(Chat(4, 2, "hello")));

        reader.Append("\nHELO x\r\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Helo(" x") }));
    }
}
