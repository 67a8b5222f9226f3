using ChatLoop.Protocol;
using static ChatLoop.Tests.Protocol.ParsedRequest;

namespace ChatLoop.Tests.Protocol;

/// <summary>PROTOCOL.md §2.7 codes 1, 2 and 6: one ERROR per bad request, the rest of it skipped, the connection kept.</summary>
public sealed class RequestReaderErrorTests
{
    private static readonly string Long65 = new('r', 65);
    private static readonly string Utf8Of66Bytes = string.Concat(Enumerable.Repeat("é", 33));

    private static IEnumerable<TestCaseData> BadRequests()
    {
        TestCaseData Case(string name, ErrorCode code, string input) => new TestCaseData(input, code).SetArgDisplayNames(name);

        yield return Case("unknown word", ErrorCode.UnknownRequest, "FOO\n");
        yield return Case("unknown key", ErrorCode.UnknownRequest, "FOO: bar\nBAZ: 1\n");
        yield return Case("field line first", ErrorCode.UnknownRequest, "MESSAGE: hi\n");
        yield return Case("JOIN without colon", ErrorCode.UnknownRequest, "JOIN_CHATROOM r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n");
        yield return Case("DISCONNECT without colon", ErrorCode.UnknownRequest, "DISCONNECT\nPORT: 0\nCLIENT_NAME: a\n");
        yield return Case("misspelt keyword", ErrorCode.UnknownRequest, "JOIN_CHATRoOOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n");

        yield return Case("JOIN without CLIENT_IP", ErrorCode.MalformedRequest, "JOIN_CHATROOM: r\nPORT: 0\nCLIENT_NAME: a\n");
        yield return Case("JOIN fields swapped", ErrorCode.MalformedRequest, "JOIN_CHATROOM: r\nPORT: 0\nCLIENT_IP: 0\nCLIENT_NAME: a\n");
        yield return Case("JOIN without CLIENT_NAME", ErrorCode.MalformedRequest, "JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\n");
        yield return Case("JOIN with stray line", ErrorCode.MalformedRequest, "JOIN_CHATROOM: r\nCLIENT_IP: 0\nhello\nPORT: 0\nCLIENT_NAME: a\n");
        yield return Case("LEAVE ref neither number nor name", ErrorCode.MalformedRequest, "LEAVE_CHATROOM: x\u0007\nJOIN_ID: 1\nCLIENT_NAME: a\n");
        yield return Case("LEAVE ref 65 bytes", ErrorCode.MalformedRequest, $"LEAVE_CHATROOM: {Long65}\nJOIN_ID: 1\nCLIENT_NAME: a\n");
        yield return Case("LEAVE ref empty", ErrorCode.MalformedRequest, "LEAVE_CHATROOM:\nJOIN_ID: 1\nCLIENT_NAME: a\n");
        yield return Case("LEAVE join id fraction", ErrorCode.MalformedRequest, "LEAVE_CHATROOM: 1\nJOIN_ID: 1.5\nCLIENT_NAME: a\n");
        yield return Case("LEAVE join id hex", ErrorCode.MalformedRequest, "LEAVE_CHATROOM: 1\nJOIN_ID: 0x1\nCLIENT_NAME: a\n");
        yield return Case("LEAVE join id two numbers", ErrorCode.MalformedRequest, "LEAVE_CHATROOM: 1\nJOIN_ID: 1 2\nCLIENT_NAME: a\n");
        yield return Case("LEAVE without JOIN_ID", ErrorCode.MalformedRequest, "LEAVE_CHATROOM: 1\nCLIENT_NAME: a\n");
        yield return Case("LEAVE without CLIENT_NAME", ErrorCode.MalformedRequest, "LEAVE_CHATROOM: 1\nJOIN_ID: 1\n");
        yield return Case("CHAT ref neither number nor name", ErrorCode.MalformedRequest, "CHAT: \u001b[1m\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\nmore\n");
        yield return Case("CHAT join id negative", ErrorCode.MalformedRequest, "CHAT: 0\nJOIN_ID: -5\nCLIENT_NAME: a\nMESSAGE: m\nmore\n");
        yield return Case("CHAT without CLIENT_NAME", ErrorCode.MalformedRequest, "CHAT: 0\nJOIN_ID: 1\nMESSAGE: m\nmore\n");
        yield return Case("CHAT without MESSAGE", ErrorCode.MalformedRequest, "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\n");
        yield return Case("CHAT fields swapped", ErrorCode.MalformedRequest, "CHAT: 0\nCLIENT_NAME: a\nJOIN_ID: 1\nMESSAGE: m\n");
        yield return Case("DISCONNECT without PORT", ErrorCode.MalformedRequest, "DISCONNECT: 0\nCLIENT_NAME: a\n");

        yield return Case("room name empty", ErrorCode.InvalidName, "JOIN_CHATROOM:\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n");
        yield return Case("room name blanks", ErrorCode.InvalidName, "JOIN_CHATROOM:  \t \nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n");
        yield return Case("room name 65 bytes", ErrorCode.InvalidName, $"JOIN_CHATROOM: {Long65}\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n");
        yield return Case("room name control char", ErrorCode.InvalidName, "JOIN_CHATROOM: r\u0007r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n");
        yield return Case("client name empty", ErrorCode.InvalidName, "JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME:\n");
        yield return Case("client name 65 bytes", ErrorCode.InvalidName, $"JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: {Long65}\n");
        yield return Case("client name 66 UTF-8 bytes", ErrorCode.InvalidName, $"JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: {Utf8Of66Bytes}\n");
        yield return Case("client name tab inside", ErrorCode.InvalidName, "JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\tb\n");
        yield return Case("client name DEL", ErrorCode.InvalidName, "JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\u007F\n");
        yield return Case("client name C1 control", ErrorCode.InvalidName, "JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\u0085\n");
        yield return Case("both names bad", ErrorCode.InvalidName, "JOIN_CHATROOM:\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME:\n");
    }

    [TestCaseSource(nameof(BadRequests))]
    public void TryRead_BadRequestThenBlankLine_OneErrorThenNextRequest(string input, ErrorCode code)
    {
        var parsed = RequestFeed.Parse(input + "\nHELO after\n");

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(code), Helo(" after") }));
    }

    [TestCaseSource(nameof(BadRequests))]
    public void TryRead_BadRequestThenRequestWithoutBlankLine_OneErrorThenThatRequest(string input, ErrorCode code)
    {
        var parsed = RequestFeed.Parse(input + "JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\nHELO after\n");

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(code), Join("r", "a"), Helo(" after") }));
    }

    [TestCaseSource(nameof(BadRequests))]
    public void TryRead_BadRequest_NotFatalAndDescribedOnOneLine(string input, ErrorCode code)
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(input + "\n"));

        Assert.That(reader.TryRead(out var request), Is.True);
        Assert.That(request.Kind, Is.EqualTo(RequestKind.Invalid));
        Assert.That(request.Error, Is.EqualTo(code));
        Assert.That(request.IsFatal, Is.False);
        Assert.That(request.ErrorDescription, Is.Not.Null.And.Not.Empty);
        Assert.That(request.ErrorDescription!.Any(char.IsControl), Is.False, request.ErrorDescription);
    }

    [Test]
    public void TryRead_JoinWithBadClientNameThenHelp_ErrorThenHelp()
    {
        // The JOIN ended with its CLIENT_NAME line, so nothing of it is left to skip: HELP is a request.
        var parsed = RequestFeed.Parse("JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME:\nHELP\nSTATS\n");

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(ErrorCode.InvalidName), Simple(RequestKind.Help), Simple(RequestKind.Stats) }));
    }

    [Test]
    public void TryRead_JoinWithBadClientNameThenGarbage_SecondErrorForTheGarbage()
    {
        var parsed = RequestFeed.Parse("JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\u0001\nFOO\n");

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(ErrorCode.InvalidName), Invalid(ErrorCode.UnknownRequest) }));
    }

    [Test]
    public void TryRead_BadChatWithManyBodyLines_OneErrorOnly()
    {
        var parsed = RequestFeed.Parse("CHAT: 0\nJOIN_ID: x\nCLIENT_NAME: a\nMESSAGE: m\nFOO\nBAR: 1\nPORT: 0\nHELP\n\nSTATS\n");

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(ErrorCode.MalformedRequest), Simple(RequestKind.Stats) }));
    }

    [Test]
    public void TryRead_UnknownRequestLinesUntilBlankLine_OneError()
    {
        var parsed = RequestFeed.Parse("FOO\nBAR\nBAZ: 1\n\nQUX\n\n");

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(ErrorCode.UnknownRequest), Invalid(ErrorCode.UnknownRequest) }));
    }

    [Test]
    public void TryRead_MissingFieldBecauseNextRequestStarts_NextRequestNotLost()
    {
        var parsed = RequestFeed.Parse("LEAVE_CHATROOM: 1\nCHAT: 1\nJOIN_ID: 2\nCLIENT_NAME: a\nMESSAGE: m\n\n");

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(ErrorCode.MalformedRequest), Chat(1, 2, "m") }));
    }

    [TestCase(new byte[] { 0xFF }, TestName = "TryRead_RoomNameInvalidUtf8_InvalidName(FF)")]
    [TestCase(new byte[] { 0x61, 0xC3 }, TestName = "TryRead_RoomNameInvalidUtf8_InvalidName(truncated)")]
    [TestCase(new byte[] { 0xC0, 0x80 }, TestName = "TryRead_RoomNameInvalidUtf8_InvalidName(overlong)")]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 }, TestName = "TryRead_RoomNameInvalidUtf8_InvalidName(surrogate)")]
    public void TryRead_NameInvalidUtf8_InvalidName(byte[] name)
    {
        byte[] asRoom = [.. "JOIN_CHATROOM: "u8, .. name, .. "\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n\nHELO x\n"u8];
        byte[] asClient = [.. "JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: "u8, .. name, .. "\n\nHELO x\n"u8];

        Assert.That(RequestFeed.Parse(asRoom), Is.EqualTo(new[] { Invalid(ErrorCode.InvalidName), Helo(" x") }));
        Assert.That(RequestFeed.Parse(asClient), Is.EqualTo(new[] { Invalid(ErrorCode.InvalidName), Helo(" x") }));
    }

    [Test]
    public void TryRead_NamesOf64Bytes_Accepted()
    {
        string room = new('r', 64);
        string client = string.Concat(Enumerable.Repeat("é", 32));

        var parsed = RequestFeed.Parse($"JOIN_CHATROOM: {room}\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: {client}\n");

        Assert.That(parsed, Is.EqualTo(new[] { Join(room, client) }));
    }

    [Test]
    public void TryRead_BadValueWithControlCharsAndLength_DescriptionSanitizedAndShortened()
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes("LEAVE_CHATROOM: \u001b[31m" + new string('9', 100) + "x\u0000\n"));

        Assert.That(reader.TryRead(out var request), Is.True);
        Assert.That(request.Error, Is.EqualTo(ErrorCode.MalformedRequest));
        Assert.That(request.ErrorDescription!.Any(char.IsControl), Is.False);
        Assert.That(request.ErrorDescription, Does.Contain("..."));
        Assert.That(request.ErrorDescription!, Has.Length.LessThan(200));
    }

    [TestCase("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [TestCase("POST /chat HTTP/1.1\r\nContent-Length: 5\r\n\r\nHELO x\n")]
    [TestCase("PUT /x HTTP/1.0\n")]
    [TestCase("HEAD / HTTP/1.1\n")]
    [TestCase("DELETE /x HTTP/1.1\n")]
    [TestCase("OPTIONS * HTTP/1.1\n")]
    [TestCase("PATCH /x HTTP/1.1\n")]
    [TestCase("CONNECT host:443 HTTP/1.1\n")]
    [TestCase("TRACE / HTTP/1.1\n")]
    [TestCase("\r\n\r\nGET / HTTP/1.1\r\n")]
    public void TryRead_HttpRequestLineFirst_HttpAndNothingMore(string input)
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(input));

        Assert.That(reader.TryRead(out var request), Is.True);
        Assert.That(request.Kind, Is.EqualTo(RequestKind.Http));
        Assert.That(request.IsFatal, Is.True);
        Assert.That(reader.TryRead(out _), Is.False);

        reader.Append("HELO x\n"u8);
        Assert.That(reader.TryRead(out _), Is.False);
    }

    [Test]
    public void TryRead_HttpRequestLineNotFirst_UnknownRequestAndConnectionKept()
    {
        var parsed = RequestFeed.Parse("HELO x\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\nHELO y\n");

        Assert.That(parsed, Is.EqualTo(new[] { Helo(" x"), Invalid(ErrorCode.UnknownRequest), Helo(" y") }));
    }

    [Test]
    public void TryRead_HttpRequestLineAfterBadRequest_UnknownRequest()
    {
        var parsed = RequestFeed.Parse("FOO\n\nGET / HTTP/1.1\n");

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(ErrorCode.UnknownRequest), Invalid(ErrorCode.UnknownRequest) }));
    }

    [TestCase("GET\n")]
    [TestCase("GETX / HTTP/1.1\n")]
    public void TryRead_NotQuiteHttp_UnknownRequest(string input)
    {
        Assert.That(RequestFeed.Parse(input), Is.EqualTo(new[] { Invalid(ErrorCode.UnknownRequest) }));
    }
}
