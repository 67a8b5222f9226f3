using ChatLoop.Protocol;
using static ChatLoop.Tests.Protocol.ParsedRequest;

namespace ChatLoop.Tests.Protocol;

/// <summary>
/// PROTOCOL.md §1: many of the exercise's clients send each request in one write without its last line
/// end. Such a line counts as ended once the message idle time passes with no further byte, and at EOF;
/// the server says so with <see cref="RequestReader.TryEndIdleMessage"/>, for either.
/// </summary>
public sealed class RequestReaderUnterminatedTests
{
    private static IEnumerable<TestCaseData> Unterminated()
    {
        TestCaseData Case(string name, string input, ParsedRequest expected) =>
            new TestCaseData(input, expected).SetArgDisplayNames(name);

        yield return Case("JOIN", "JOIN_CHATROOM: room1\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: client1", Join("room1", "client1"));
        yield return Case("LEAVE", "LEAVE_CHATROOM: 0\nJOIN_ID: 1\nCLIENT_NAME: client1", Leave(0, 1));
        yield return Case("LEAVE by name", "LEAVE_CHATROOM: Whatsapp22\nJOIN_ID: 6666\nCLIENT_NAME: client1", LeaveNamed("Whatsapp22", 6666));
        yield return Case("CHAT", "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: client1\nMESSAGE: hello world from client 1", Chat(0, 1, "hello world from client 1"));
        yield return Case("CHAT two lines", "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: client1\nMESSAGE: one\ntwo", Chat(0, 1, "one\ntwo"));
        yield return Case("CHAT by name", "CHAT: room1\nJOIN_ID: 0\nCLIENT_NAME: client1\nMESSAGE: hi", ChatNamed("room1", 0, "hi"));
        yield return Case("DISCONNECT", "DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: client1", Disconnect());
        yield return Case("HELO", "HELO BASE_TEST", Helo(" BASE_TEST"));
        yield return Case("KILL_SERVICE", "KILL_SERVICE", Simple(RequestKind.KillService));
        yield return Case("JOIN CRLF", "JOIN_CHATROOM: room1\r\nCLIENT_IP: 0\r\nPORT: 0\r\nCLIENT_NAME: client1", Join("room1", "client1"));
        yield return Case("CHAT lone CR", "CHAT: 0\rJOIN_ID: 1\rCLIENT_NAME: client1\rMESSAGE: hi", Chat(0, 1, "hi"));
        yield return Case("unknown request", "hello", Invalid(ErrorCode.UnknownRequest));
    }

    [TestCaseSource(nameof(Unterminated))]
    public void TryRead_LastLineUnterminated_NothingYet(string input, ParsedRequest expected)
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(input));

        Assert.That(RequestFeed.Drain(reader), Is.Empty);
        Assert.That(reader.IsAwaitingMessageEnd, Is.True);
        Assert.That(reader.HasUnfinishedRequest, Is.True);
    }

    [TestCaseSource(nameof(Unterminated))]
    public void TryEndIdleMessage_LastLineUnterminated_TheRequestAsIfItsLineEndHadCome(string input, ParsedRequest expected)
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(input));
        RequestFeed.Drain(reader);

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { expected }));
        Assert.That(reader.HasUnfinishedRequest, Is.False);
        Assert.That(reader.IsAwaitingMessageEnd, Is.False);
        Assert.That(RequestFeed.Parse(input + (expected.Kind == RequestKind.Chat ? "\n\n" : "\n")), Is.EqualTo(new[] { expected }), "the same as with its line end");
    }

    [TestCaseSource(nameof(Unterminated))]
    public void TryEndIdleMessage_SplitAtEveryPoint_SameRequest(string input, ParsedRequest expected)
    {
        var bytes = RequestFeed.Bytes(input);
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            Assert.That(ReadThenIdle(RequestFeed.SplitAt(bytes, cut)), Is.EqualTo(new[] { expected }), $"split after byte {cut}");
        }

        Assert.That(ReadThenIdle(RequestFeed.OneByteAtATime(bytes)), Is.EqualTo(new[] { expected }), "one byte at a time");
    }

    [TestCaseSource(nameof(Unterminated))]
    public void TryEndIdleMessage_ThenNextRequestAlsoUnterminated_NeitherGluedToTheOther(string input, ParsedRequest expected)
    {
        // The client: "CLIENT_NAME: client1" then, seconds later, "CHAT: 0…" must not make "client1CHAT: 0".
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(input));
        var seen = RequestFeed.EndIdle(reader);
        reader.Append("HELO next"u8);
        seen.AddRange(RequestFeed.Drain(reader));
        seen.AddRange(RequestFeed.EndIdle(reader));

        Assert.That(seen, Is.EqualTo(new[] { expected, Helo(" next") }));
    }

    [TestCase("\n")]
    [TestCase("\r\n")]
    [TestCase("\r")]
    public void TryEndIdleMessage_LineEndArrivesAfterTheSilence_TakenAsThatLinesEnd(string late)
    {
        // A line end that comes after the line was ended by the silence is its own, not an empty line:
        // mid-request an empty line would be an error (code 2).
        using var reader = new RequestReader();
        reader.Append("JOIN_CHATROOM: r"u8);
        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);

        reader.Append(RequestFeed.Bytes(late + "CLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n"));

        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Join("r", "a") }));
    }

    [Test]
    public void TryEndIdleMessage_CrLfOfALateLineEndSplit_BothBytesTakenAsThatLinesEnd()
    {
        using var reader = new RequestReader();
        reader.Append("LEAVE_CHATROOM: 1"u8);
        RequestFeed.EndIdle(reader);

        reader.Append("\r"u8);
        reader.Append("\nJOIN_ID: 1\r\nCLIENT_NAME: a\r\n"u8);

        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Leave(1, 1) }));
    }

    [Test]
    public void TryEndIdleMessage_MidRequest_LineEndedButRequestStillOpen()
    {
        using var reader = new RequestReader();
        reader.Append("JOIN_CHATROOM: r\nCLIENT_IP: 0"u8);

        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        Assert.That(reader.HasUnfinishedRequest, Is.True);
        Assert.That(reader.IsAwaitingMessageEnd, Is.False, "nothing left for the idle time to end");

        reader.Append("PORT: 0\nCLIENT_NAME: a\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Join("r", "a") }));
    }

    [Test]
    public void TryEndIdleMessage_ChatBodyThenUnterminatedRequestLine_ChatThenThatRequest()
    {
        using var reader = new RequestReader();
        reader.Append("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: hi\nHELO x"u8);
        Assert.That(RequestFeed.Drain(reader), Is.Empty);

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Chat(0, 1, "hi"), Helo(" x") }));
    }

    [Test]
    public void TryEndIdleMessage_FieldMissingAndUnterminatedRequestLine_ErrorThenThatRequest()
    {
        using var reader = new RequestReader();
        reader.Append("LEAVE_CHATROOM: 0\nJOIN_ID: 1\nKILL_SERVICE"u8);
        Assert.That(RequestFeed.Drain(reader), Is.Empty);

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Invalid(ErrorCode.MalformedRequest), Simple(RequestKind.KillService) }));
    }

    [Test]
    public void TryEndIdleMessage_WhileSkippingABadRequest_LineSkippedAndNothingLeftUnfinished()
    {
        // §1: after a malformed request the rest of it is skipped, an unterminated last line too.
        using var reader = new RequestReader();
        reader.Append("FOO\nBAR"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Invalid(ErrorCode.UnknownRequest) }));

        Assert.That(RequestFeed.EndIdle(reader), Is.Empty);
        Assert.That(reader.HasUnfinishedRequest, Is.False);

        // The late LF is BAR's line end, not a blank line that would end the skipping: BAZ is skipped too.
        reader.Append("\nBAZ\n\nHELO x\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Helo(" x") }));
    }

    [Test]
    public void TryEndIdleMessage_UnterminatedLineOfMaxBytes_Accepted()
    {
        var limits = new ReaderLimits(MaxLineBytes: 40, MaxRequestBytes: 120);
        using var reader = new RequestReader(limits);
        reader.Append(RequestFeed.Bytes("HELO " + new string('x', 35)));
        Assert.That(RequestFeed.Drain(reader), Is.Empty);

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Helo(" " + new string('x', 35)) }));
    }

    [Test]
    public void TryEndIdleMessage_RequestsStillHeldAndUnterminatedTail_AllInOrder()
    {
        // The server may stop reading requests part-way (backpressure) and end the tail later.
        using var reader = new RequestReader();
        reader.Append("HELO a\nHELO b\nCHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m"u8);
        Assert.That(reader.TryRead(out var first), Is.True);
        Assert.That(From(first), Is.EqualTo(Helo(" a")));

        Assert.That(RequestFeed.EndIdle(reader), Is.EqualTo(new[] { Helo(" b"), Chat(0, 1, "m") }));
    }

    [TestCase("CHAT: 42", 42)]
    [TestCase("CHAT: 007", 7)]
    [TestCase("LEAVE_CHATROOM: 99999999999999999999999", long.MaxValue)]
    public void TryRead_RefAllDigits_ReadAsARefNeverAsAName(string first, long roomRef)
    {
        var rest = first.StartsWith("CHAT", StringComparison.Ordinal) ? "\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n\n" : "\nJOIN_ID: 1\nCLIENT_NAME: a\n";

        var parsed = RequestFeed.Parse(first + rest);

        Assert.That(parsed, Has.Count.EqualTo(1));
        Assert.That(parsed[0].RoomRef, Is.EqualTo(roomRef));
        Assert.That(parsed[0].RoomName, Is.Null);
    }

    [TestCase("LEAVE_CHATROOM: x\nJOIN_ID: 1\nCLIENT_NAME: a\n", "x")]
    [TestCase("LEAVE_CHATROOM: -1\nJOIN_ID: 1\nCLIENT_NAME: a\n", "-1")]
    [TestCase("LEAVE_CHATROOM: +1\nJOIN_ID: 1\nCLIENT_NAME: a\n", "+1")]
    [TestCase("LEAVE_CHATROOM:   my room  \nJOIN_ID: 1\nCLIENT_NAME: a\n", "my room")]
    [TestCase("CHAT: room1\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n\n", "room1")]
    [TestCase("CHAT: café ☕\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n\n", "café ☕")]
    public void TryRead_RefThatIsAValidRoomName_KeptAsANameForTheServer(string input, string name)
    {
        var parsed = RequestFeed.Parse(input);

        Assert.That(parsed, Has.Count.EqualTo(1));
        Assert.That(parsed[0].Kind, Is.Not.EqualTo(RequestKind.Invalid));
        Assert.That(parsed[0].RoomName, Is.EqualTo(name));
        Assert.That(parsed[0].RoomRef, Is.EqualTo(-1));
    }

    private static List<ParsedRequest> ReadThenIdle(IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        using var reader = new RequestReader();
        var seen = new List<ParsedRequest>();
        foreach (var chunk in chunks)
        {
            reader.Append(chunk.Span);
            RequestFeed.Drain(reader, seen);
        }

        seen.AddRange(RequestFeed.EndIdle(reader));
        return seen;
    }
}
