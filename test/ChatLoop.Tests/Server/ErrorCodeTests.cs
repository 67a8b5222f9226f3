using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>PROTOCOL.md §2.7: each error the client can cause, sent only to it, and whether the connection stays open.</summary>
public sealed class ErrorCodeTests
{
    [TestCase("NOPE: 1\n")]
    [TestCase("hello\n")]
    [TestCase("CLIENT_NAME: a\n")]
    public void UnknownRequest_AnyLine_Error1AndStaysOpen(string request)
    {
        using var server = new TestServer();
        using var a = server.Connect();

        a.Send(request);

        a.ReadError(ErrorCode.UnknownRequest);
        a.Sync();
    }

    [TestCase("LEAVE_CHATROOM: x\nJOIN_ID: 1\nCLIENT_NAME: a\n")]
    [TestCase("LEAVE_CHATROOM: -1\nJOIN_ID: 1\nCLIENT_NAME: a\n")]
    [TestCase("CHAT: 0\nJOIN_ID: one\nCLIENT_NAME: a\nMESSAGE: m\n\n")]
    [TestCase("CHAT: 0\nCLIENT_NAME: a\nMESSAGE: m\n\n")]
    [TestCase("JOIN_CHATROOM: r\nPORT: 0\nCLIENT_NAME: a\n")]
    [TestCase("JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\n\n")]
    [TestCase("DISCONNECT: 0\nCLIENT_NAME: a\n")]
    public void MalformedRequest_FieldMissingOrNotANumber_Error2AndStaysOpen(string request)
    {
        using var server = new TestServer();
        using var a = server.Connect();

        a.Send(request);

        a.ReadError(ErrorCode.MalformedRequest);
        a.Sync();
    }

    [Test]
    public void TooLong_LineOverTheLimit_Error3AndClosed()
    {
        using var server = new TestServer(new ServerSettings { MaxLineBytes = 100 });
        using var a = server.Connect();

        a.Send("HELO " + new string('x', 200) + "\n");

        a.ReadError(ErrorCode.TooLong);
        a.ExpectClosed();
    }

    [Test]
    public void NoSuchRoom_ChatToAnUnknownRef_Error4ButLeaveOfItIsIdempotent()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        int port = server.Port;
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "a"));

        a.Send(Chat(5, 1, "a", "anyone?") + Leave(5, 1, "a"));

        // §2.3: the room of a CHAT must exist (code 4); §2.2: a LEAVE of a room the connection is not in gets LEFT_CHATROOM.
        a.ReadError(ErrorCode.NoSuchRoom);
        a.ReadExactly(Left(5, 1));
        a.Sync();
    }

    [Test]
    public void NotMember_NotInTheRoom_Error5AndNothingBroadcastWhateverTheJoinId()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        b.Send(Join("r", "b") + Join("s", "b"));
        b.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "b") + Joined("s", port, 1, 1) + Joins(1, "b"));
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "a"));
        b.ReadExactly(Joins(0, "a"));

        // §2.3: the JOIN_ID of a member of s does not make a member of s.
        a.Send(Chat(1, 1, "a", "with b's id") + Chat(1, 2, "a", "with its own id"));

        a.ReadError(ErrorCode.NotMember);
        a.ReadError(ErrorCode.NotMember);
        a.Sync();
        b.Sync();
    }

    [Test]
    public void NotMember_ChatBeforeAnyJoin_Error5()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", server.Port, 0, 1) + Joins(0, "b"));

        a.Send(Chat(0, 0, "a", "hi") + Chat(0, 1, "a", "hi"));

        a.ReadError(ErrorCode.NotMember);
        a.ReadError(ErrorCode.NotMember);
        b.Sync();
    }

    [TestCase("JOIN_CHATROOM: \nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n")]
    [TestCase("JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME:   \n")]
    [TestCase("JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\u0001b\n")]
    [TestCase("JOIN_CHATROOM: r\u007f\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n")]
    public void InvalidName_EmptyOrControlCharacters_Error6AndStaysOpen(string request)
    {
        using var server = new TestServer();
        using var a = server.Connect();

        a.Send(request);

        a.ReadError(ErrorCode.InvalidName);
        a.Sync();
    }

    [Test]
    public void InvalidName_LongerThan64Bytes_Error6And64IsAccepted()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        var longest = new string('é', 32);

        a.Send(Join("r", longest + "x"));
        a.ReadError(ErrorCode.InvalidName);
        a.Send(Join("r", longest));

        a.ReadExactly(Joined("r", server.Port, 0, 1) + Joins(0, longest));
    }

    [Test]
    public void KillService_PolicyOff_Error8AndServerKeepsRunning()
    {
        using var server = new TestServer(new ServerSettings { KillService = KillServicePolicy.Off });
        using var a = server.Connect();

        a.Send(KillService);

        a.ReadError(ErrorCode.NotPermitted);
        a.Sync();
        using var b = server.Connect();
        b.Sync();
        Assert.That(server.Server.StopReason, Is.Null);
    }

    [Test]
    public void KillService_PolicyAny_ServerExitsAndClosesEveryConnection()
    {
        using var server = new TestServer(new ServerSettings { KillService = KillServicePolicy.Any });
        using var a = server.Connect();
        using var b = server.Connect();
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", server.Port, 0, 1) + Joins(0, "b"));

        a.Send(KillService);

        a.ExpectClosed();
        b.ExpectClosed();
        Assert.That(server.Server.WaitForExit(Wait.Long), Is.True);
        Assert.That(server.Server.StopReason, Does.Contain("KILL_SERVICE"));
    }
}
