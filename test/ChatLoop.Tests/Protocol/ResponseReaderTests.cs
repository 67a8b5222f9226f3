using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Protocol;

/// <summary>The client's reader: every server block of PROTOCOL.md §2 and §6, whole or split, and encoder round trips.</summary>
public sealed class ResponseReaderTests
{
    // a's side of the §4 session.
    private const string SessionForA =
        "JOINED_CHATROOM: room1\nSERVER_IP: 127.0.0.1\nPORT: 5000\nROOM_REF: 0\nJOIN_ID: 1\n"
        + "CHAT: 0\nCLIENT_NAME: a\nMESSAGE: a has joined this chatroom.\n\n"
        + "CHAT: 0\nCLIENT_NAME: b\nMESSAGE: b has joined this chatroom.\n\n"
        + "CHAT: 0\nCLIENT_NAME: a\nMESSAGE: hello world\n\n"
        + "LEFT_CHATROOM: 0\nJOIN_ID: 1\n"
        + "CHAT: 0\nCLIENT_NAME: a\nMESSAGE: a has left this chatroom.\n\n";

    private static List<Response> ReadAll(IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        using var reader = new ResponseReader();
        var got = new List<Response>();
        foreach (var chunk in chunks)
        {
            reader.Append(chunk.Span);
            while (reader.TryRead(out var response))
            {
                got.Add(response!);
            }
        }

        return got;
    }

    private static List<Response> ReadAll(string text) => ReadAll([Encoding.UTF8.GetBytes(text)]);

    private static List<Response> ReadAll(byte[] bytes) => ReadAll([bytes]);

    // Kind, fields and message as one comparable string.
    private static string Describe(Response r) =>
        $"{r.Kind} [{string.Join(" | ", r.Fields.Select(f => f.Key + "=" + f.Value))}] message={r.Message ?? "(none)"}";

    [Test]
    public void TryRead_SessionForA_EveryBlockInOrder()
    {
        var got = ReadAll(SessionForA);

        Assert.That(got.Select(r => r.Kind), Is.EqualTo(new[]
        {
            ResponseKind.Joined, ResponseKind.Chat, ResponseKind.Chat, ResponseKind.Chat, ResponseKind.Left, ResponseKind.Chat,
        }));
        Assert.That(got[0].Get("JOINED_CHATROOM"), Is.EqualTo("room1"));
        Assert.That(got[0].Get("SERVER_IP"), Is.EqualTo("127.0.0.1"));
        Assert.That(got[0].GetNumber("PORT"), Is.EqualTo(5000));
        Assert.That(got[0].GetNumber("ROOM_REF"), Is.EqualTo(0));
        Assert.That(got[0].GetNumber("JOIN_ID"), Is.EqualTo(1));
        Assert.That(got[1].IsJoinNotice, Is.True);
        Assert.That(got[1].Get("CLIENT_NAME"), Is.EqualTo("a"));
        Assert.That(got[2].IsJoinNotice, Is.True);
        Assert.That(got[2].Get("CLIENT_NAME"), Is.EqualTo("b"));
        Assert.That(got[3].Message, Is.EqualTo("hello world"));
        Assert.That(got[3].IsJoinNotice || got[3].IsLeaveNotice, Is.False);
        Assert.That(got[4].GetNumber("LEFT_CHATROOM"), Is.EqualTo(0));
        Assert.That(got[4].GetNumber("JOIN_ID"), Is.EqualTo(1));
        Assert.That(got[5].IsLeaveNotice, Is.True);
    }

    [Test]
    public void TryRead_MultiLineChat_WholeBodyInMessageAndFirstLineInField()
    {
        var got = ReadAll("CHAT: 3\nCLIENT_NAME: a\nMESSAGE: first\n  second\nCHAT: not a new block\n\n");

        Assert.That(got, Has.Count.EqualTo(1));
        Assert.That(got[0].Kind, Is.EqualTo(ResponseKind.Chat));
        Assert.That(got[0].Message, Is.EqualTo("first\n  second\nCHAT: not a new block"));
        Assert.That(got[0].Get("MESSAGE"), Is.EqualTo("first"));
        Assert.That(got[0].GetNumber("CHAT"), Is.EqualTo(3));
    }

    [Test]
    public void TryRead_ChatWithEmptyMessage_EmptyMessage()
    {
        var got = ReadAll("CHAT: 3\nCLIENT_NAME: a\nMESSAGE: \n\n");

        Assert.That(got.Select(Describe), Is.EqualTo(new[] { "Chat [CHAT=3 | CLIENT_NAME=a | MESSAGE=] message=" }));
    }

    [Test]
    public void TryRead_Error_TwoLineBlock()
    {
        var got = ReadAll("ERROR_CODE: 6\nERROR_DESCRIPTION: client name: is empty\nLEFT_CHATROOM: 0\nJOIN_ID: 1\n");

        Assert.That(got.Select(Describe), Is.EqualTo(new[]
        {
            "Error [ERROR_CODE=6 | ERROR_DESCRIPTION=client name: is empty] message=(none)",
            "Left [LEFT_CHATROOM=0 | JOIN_ID=1] message=(none)",
        }));
    }

    [TestCase("HELO BASE_TEST\n", "BASE_TEST")]
    [TestCase("HELO\n", "")]
    [TestCase("HELO text: with colon\n", "text: with colon")]
    public void TryRead_HeloReply_FourLinesWithoutSpaceAfterColons(string firstLine, string text)
    {
        var got = ReadAll(firstLine + "IP:10.62.0.83\nPort:8000\nStudentID:17313056\nHELP: next\n\n");

        Assert.That(got, Has.Count.EqualTo(2));
        Assert.That(got[0].Kind, Is.EqualTo(ResponseKind.Helo));
        Assert.That(got[0].Get("HELO"), Is.EqualTo(text));
        Assert.That(got[0].Get("IP"), Is.EqualTo("10.62.0.83"));
        Assert.That(got[0].GetNumber("Port"), Is.EqualTo(8000));
        Assert.That(got[0].Get("StudentID"), Is.EqualTo("17313056"));
        Assert.That(got[1].Kind, Is.EqualTo(ResponseKind.Block));
    }

    [Test]
    public void TryRead_StatsAndHelp_BlocksEndedByBlankLine()
    {
        var got = ReadAll("CLIENTS: 2\nROOMS: 1\nUPTIME_S: 9\n\nHELP: one\nHELP: two\n\n");

        Assert.That(got.Select(Describe), Is.EqualTo(new[]
        {
            "Block [CLIENTS=2 | ROOMS=1 | UPTIME_S=9] message=(none)",
            "Block [HELP=one | HELP=two] message=(none)",
        }));
    }

    [Test]
    public void TryRead_PartOfABlock_NothingYetAndInBlock()
    {
        using var reader = new ResponseReader();
        reader.Append("JOINED_CHATROOM: room1\nSERVER_IP: 127.0.0.1\nPORT: 50"u8);

        Assert.That(reader.TryRead(out var response), Is.False);
        Assert.That(response, Is.Null);
        Assert.That(reader.InBlock, Is.True);

        reader.Append("00\nROOM_REF: 0\nJOIN_ID: 1\n"u8);
        Assert.That(reader.TryRead(out response), Is.True);
        Assert.That(response!.GetNumber("PORT"), Is.EqualTo(5000));
        Assert.That(reader.InBlock, Is.False);
    }

    [Test]
    public void TryRead_ChatWithoutItsBlankLine_NotYet()
    {
        using var reader = new ResponseReader();
        reader.Append("CHAT: 0\nCLIENT_NAME: a\nMESSAGE: hi\n"u8);

        Assert.That(reader.TryRead(out _), Is.False);
        Assert.That(reader.InBlock, Is.True);
    }

    [Test]
    public void TryRead_SplitAtEveryPointAndOneByteAtATime_SameBlocks()
    {
        var bytes = Encoding.UTF8.GetBytes(SessionForA
            + "CHAT: 1\nCLIENT_NAME: Zoë\nMESSAGE: ünï\n🙂\n\n"
            + "HELO x\nIP:127.0.0.1\nPort:5000\nStudentID:17313056\n"
            + "ERROR_CODE: 2\nERROR_DESCRIPTION: x\n"
            + "CLIENTS: 1\n\n");
        var whole = ReadAll(bytes).Select(Describe).ToList();
        Assert.That(whole, Has.Count.EqualTo(10));

        for (int cut = 1; cut < bytes.Length; cut++)
        {
            Assert.That(ReadAll(RequestFeed.SplitAt(bytes, cut)).Select(Describe), Is.EqualTo(whole), $"split after byte {cut}");
        }

        Assert.That(ReadAll(RequestFeed.OneByteAtATime(bytes)).Select(Describe), Is.EqualTo(whole));
    }

    [Test]
    public void TryRead_EveryServerBlockEncoded_RoundTrip()
    {
        var bytes = Encoded.Bytes(w =>
        {
            ServerBlocks.Joined(w, "café ☕", "127.0.0.1", 5000, 4, 9);
            ServerBlocks.JoinNotice(w, 4, "Zoë"u8.ToArray());
            ServerBlocks.Chat(w, 4, Encoding.UTF8.GetBytes("Zoë"), "one\n  two\nthree"u8);
            ServerBlocks.LeaveNotice(w, 4, Encoding.UTF8.GetBytes("Zoë"));
            ServerBlocks.Left(w, 4, 9);
            ServerBlocks.Error(w, ErrorCode.NotMember, "not a member of room 4\nreally");
            ServerBlocks.Helo(w, " BASE_TEST"u8, "127.0.0.1", 5000, "17313056");
            ServerBlocks.Stats(w, [new("CLIENTS", 3), new("BYTES_OUT", 1234567890123)]);
            ServerBlocks.Help(w);
        });

        var got = ReadAll(bytes);

        Assert.That(got.Select(r => r.Kind), Is.EqualTo(new[]
        {
            ResponseKind.Joined, ResponseKind.Chat, ResponseKind.Chat, ResponseKind.Chat, ResponseKind.Left,
            ResponseKind.Error, ResponseKind.Helo, ResponseKind.Block, ResponseKind.Block,
        }));
        Assert.That(got[0].Get("JOINED_CHATROOM"), Is.EqualTo("café ☕"));
        Assert.That(got[0].GetNumber("ROOM_REF"), Is.EqualTo(4));
        Assert.That(got[0].GetNumber("JOIN_ID"), Is.EqualTo(9));
        Assert.That(got[1].IsJoinNotice, Is.True);
        Assert.That(got[1].Message, Is.EqualTo("Zoë has joined this chatroom."));
        Assert.That(got[2].Message, Is.EqualTo("one\n  two\nthree"));
        Assert.That(got[2].Get("CLIENT_NAME"), Is.EqualTo("Zoë"));
        Assert.That(got[3].IsLeaveNotice, Is.True);
        Assert.That(got[4].GetNumber("LEFT_CHATROOM"), Is.EqualTo(4));
        Assert.That(got[5].GetNumber("ERROR_CODE"), Is.EqualTo(5));
        Assert.That(got[5].Get("ERROR_DESCRIPTION"), Is.EqualTo("not a member of room 4 really"));
        Assert.That(got[6].Get("HELO"), Is.EqualTo("BASE_TEST"));
        Assert.That(got[6].GetNumber("Port"), Is.EqualTo(5000));
        Assert.That(got[7].GetNumber("BYTES_OUT"), Is.EqualTo(1234567890123));
        Assert.That(got[8].Fields.Select(f => f.Key), Is.All.EqualTo("HELP"));
    }

    [Test]
    public void TryRead_ChatRelayedThroughRequestReader_EveryMemberReadsWhatWasSent()
    {
        // Client -> server -> client, as the console client does it: normalize, send, relay, read.
        string sent = MessageText.Normalize("hello\n   indented\nCHAT: looks like a header\n\nend");
        var request = RequestFeed.Parse(Encoded.Bytes(w => ClientRequests.Chat(w, 2, 5, "a", sent)))[0];

        var broadcast = Encoded.Bytes(w => ServerBlocks.Chat(w, request.RoomRef, "a"u8, Encoding.Latin1.GetBytes(request.MessageBytes)));
        var got = ReadAll(broadcast);

        Assert.That(got, Has.Count.EqualTo(1));
        Assert.That(got[0].Message, Is.EqualTo(sent));
        Assert.That(got[0].GetNumber("CHAT"), Is.EqualTo(2));
    }
}
