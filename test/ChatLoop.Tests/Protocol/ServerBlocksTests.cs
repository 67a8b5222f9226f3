using ChatLoop.Protocol;

namespace ChatLoop.Tests.Protocol;

/// <summary>The server's blocks, byte for byte as PROTOCOL.md §2, §4 and §6 show them.</summary>
public sealed class ServerBlocksTests
{
    [Test]
    public void Joined_Session_ExactBlock()
    {
        var text = Encoded.Text(w => ServerBlocks.Joined(w, "room1", "127.0.0.1", 5000, 0, 2));

        Assert.That(text, Is.EqualTo("JOINED_CHATROOM: room1\nSERVER_IP: 127.0.0.1\nPORT: 5000\nROOM_REF: 0\nJOIN_ID: 2\n"));
    }

    [Test]
    public void Joined_Utf8NameAndLargeNumbers_ExactBlock()
    {
        var text = Encoded.Text(w => ServerBlocks.Joined(w, "café ☕", "::1", 65535, long.MaxValue, 123456789012));

        Assert.That(text, Is.EqualTo($"JOINED_CHATROOM: café ☕\nSERVER_IP: ::1\nPORT: 65535\nROOM_REF: {long.MaxValue}\nJOIN_ID: 123456789012\n"));
    }

    [Test]
    public void Left_Session_ExactBlockWithNoBlankLine()
    {
        var text = Encoded.Text(w => ServerBlocks.Left(w, 0, 1));

        Assert.That(text, Is.EqualTo("LEFT_CHATROOM: 0\nJOIN_ID: 1\n"));
    }

    [Test]
    public void JoinNotice_Session_ExactBlockWithTrailingBlankLine()
    {
        var text = Encoded.Text(w => ServerBlocks.JoinNotice(w, 0, "b"u8));

        Assert.That(text, Is.EqualTo("CHAT: 0\nCLIENT_NAME: b\nMESSAGE: b has joined this chatroom.\n\n"));
    }

    [Test]
    public void LeaveNotice_Session_ExactBlockWithTrailingBlankLine()
    {
        var text = Encoded.Text(w => ServerBlocks.LeaveNotice(w, 0, "a"u8));

        Assert.That(text, Is.EqualTo("CHAT: 0\nCLIENT_NAME: a\nMESSAGE: a has left this chatroom.\n\n"));
    }

    [Test]
    public void Chat_Session_ExactBlock()
    {
        var text = Encoded.Text(w => ServerBlocks.Chat(w, 0, "a"u8, "hello world"u8));

        Assert.That(text, Is.EqualTo("CHAT: 0\nCLIENT_NAME: a\nMESSAGE: hello world\n\n"));
    }

    [Test]
    public void Chat_MultiLineBody_LinesAsTheyAreThenBlankLine()
    {
        var text = Encoded.Text(w => ServerBlocks.Chat(w, 12, "client1"u8, "first\n  second\nthird"u8));

        Assert.That(text, Is.EqualTo("CHAT: 12\nCLIENT_NAME: client1\nMESSAGE: first\n  second\nthird\n\n"));
    }

    [Test]
    public void Helo_Reply_NoSpaceAfterColonsAndTextEchoedWhole()
    {
        var text = Encoded.Text(w => ServerBlocks.Helo(w, " BASE_TEST"u8, "10.62.0.83", 8000, "17313056"));

        Assert.That(text, Is.EqualTo("HELO BASE_TEST\nIP:10.62.0.83\nPort:8000\nStudentID:17313056\n"));
    }

    [Test]
    public void Helo_ReplyToTheReadersHelo_EchoesTheRequestLine()
    {
        using var reader = new RequestReader();
        reader.Append("HELO  spaced  text \r\n"u8);
        Assert.That(reader.TryRead(out var request), Is.True);

        var text = Encoded.Text(w => ServerBlocks.Helo(w, request.Message.Span, "127.0.0.1", 5000, "17313056"));

        Assert.That(text, Is.EqualTo("HELO  spaced  text \nIP:127.0.0.1\nPort:5000\nStudentID:17313056\n"));
    }

    [TestCase(ErrorCode.UnknownRequest, "unknown request 'FOO'", "ERROR_CODE: 1\nERROR_DESCRIPTION: unknown request 'FOO'\n")]
    [TestCase(ErrorCode.TooLong, "line too long", "ERROR_CODE: 3\nERROR_DESCRIPTION: line too long\n")]
    [TestCase(ErrorCode.Timeout, "timeout", "ERROR_CODE: 11\nERROR_DESCRIPTION: timeout\n")]
    [TestCase(ErrorCode.InvalidName, "bad\nname\r\twith\u0000controls\u007F\u0085", "ERROR_CODE: 6\nERROR_DESCRIPTION: bad name  with controls  \n")]
    public void Error_Description_OneSanitizedLine(ErrorCode code, string description, string expected)
    {
        Assert.That(Encoded.Text(w => ServerBlocks.Error(w, code, description)), Is.EqualTo(expected));
    }

    [Test]
    public void Error_EveryCode_NumberAsInTheTable()
    {
        foreach (var code in Enum.GetValues<ErrorCode>())
        {
            var text = Encoded.Text(w => ServerBlocks.Error(w, code, "x"));
            Assert.That(text, Is.EqualTo($"ERROR_CODE: {(int)code}\nERROR_DESCRIPTION: x\n"));
        }

        Assert.That(Enum.GetValues<ErrorCode>().Select(c => (int)c), Is.EqualTo(Enumerable.Range(1, 12)));
    }

    [Test]
    public void Stats_Counters_KeyValueLinesThenBlankLine()
    {
        KeyValuePair<string, long>[] counters =
        [
            new("CLIENTS", 3), new("ROOMS", 2), new("MESSAGES_IN", 10), new("DELIVERIES_OUT", 25),
            new("BYTES_IN", 1234), new("BYTES_OUT", 56789), new("UPTIME_S", 42),
        ];

        var text = Encoded.Text(w => ServerBlocks.Stats(w, counters));

        Assert.That(text, Is.EqualTo(
            "CLIENTS: 3\nROOMS: 2\nMESSAGES_IN: 10\nDELIVERIES_OUT: 25\nBYTES_IN: 1234\nBYTES_OUT: 56789\nUPTIME_S: 42\n\n"));
    }

    [Test]
    public void Stats_CountersAndTexts_CounterLinesThenTextLinesThenBlankLine()
    {
        KeyValuePair<string, long>[] counters = [new("CLIENTS", 3), new("SELECTS", 7)];
        KeyValuePair<string, string>[] texts = [new("CLUSTER_STATE", "up"), new("POLLER", "epoll")];

        var text = Encoded.Text(w => ServerBlocks.Stats(w, counters, texts));

        Assert.That(text, Is.EqualTo("CLIENTS: 3\nSELECTS: 7\nCLUSTER_STATE: up\nPOLLER: epoll\n\n"));
    }

    [Test]
    public void Help_Block_EveryLineStartsWithHelpAndEndsWithBlankLine()
    {
        var text = Encoded.Text(ServerBlocks.Help);

        Assert.That(text, Does.EndWith("\n\n"));
        var lines = text[..^2].Split('\n');
        Assert.That(lines, Has.Length.GreaterThan(3));
        Assert.That(lines, Is.All.StartsWith("HELP: "));
        Assert.That(text, Does.Not.Contain("\r"));
        foreach (var request in new[] { "JOIN_CHATROOM", "LEAVE_CHATROOM", "CHAT", "DISCONNECT", "HELO", "KILL_SERVICE", "STATS" })
        {
            Assert.That(text, Does.Contain(request));
        }
    }

    [Test]
    public void EveryBlock_NeverContainsCr()
    {
        var all = Encoded.Bytes(w =>
        {
            ServerBlocks.Joined(w, "r", "127.0.0.1", 1, 2, 3);
            ServerBlocks.Left(w, 2, 3);
            ServerBlocks.Chat(w, 2, "a"u8, "m"u8);
            ServerBlocks.JoinNotice(w, 2, "a"u8);
            ServerBlocks.LeaveNotice(w, 2, "a"u8);
            ServerBlocks.Error(w, ErrorCode.MalformedRequest, "with\r\nCRLF");
            ServerBlocks.Helo(w, " x"u8, "127.0.0.1", 1, "17313056");
            ServerBlocks.Help(w);
            ServerBlocks.Stats(w, [new("CLIENTS", 1)]);
        });

        Assert.That(all, Does.Not.Contain((byte)'\r'));
    }
}
