using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>PROTOCOL.md §2.4: DISCONNECT, and connections that end without it.</summary>
public sealed class DisconnectTests(PollerKind poller) : PollerFixture(poller)
{
    [Test]
    public void Disconnect_RequestsPipelinedAfterIt_IgnoredAndConnectionClosed()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "b"));
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "a"));
        b.ReadExactly(Joins(0, "a"));

        a.Send(Disconnect("a") + Helo("ignored") + Chat(0, 2, "a", "ignored") + Join("other", "a"));

        a.ReadExactly(Leaves(0, "a"));
        a.ExpectClosed();
        b.ReadExactly(Leaves(0, "a"));
        b.Sync();

        // The JOIN after DISCONNECT made no room: the next new name gets ref 1.
        b.Send(Join("third", "b"));
        b.ReadExactly(Joined("third", port, 1, 1) + Joins(1, "b"));
    }

    [Test]
    public void Disconnect_NotInAnyRoom_ClosedWithNothingSent()
    {
        using var server = new TestServer();
        using var a = server.Connect();

        a.Send(Disconnect("a"));

        a.ExpectClosed();
    }

    [Test]
    public void Eof_WithoutDisconnect_RemainingMembersGetLeaveNoticesInRefOrder()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        JoinTwoRoomsInReverse(a, b, port);

        a.ShutdownSend();

        b.ReadExactly(Leaves(0, "a") + Leaves(1, "a"));
        b.Sync();
    }

    [Test]
    public void Eof_RightAfterPipelinedRequests_EveryReplyThenOwnLeaveNoticeThenClosed()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        int port = server.Port;

        // As `printf '...' | nc host port` does: requests, then EOF at once.
        a.Send(Join("r", "a") + Chat(0, 1, "a", "hi") + Helo("bye"));
        a.ShutdownSend();

        a.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "a") + Chat(0, "a", "hi") + Helo(" bye", port) + Leaves(0, "a"));
        a.ExpectClosed();
    }

    [Test]
    public void Reset_MidRequest_RoomsGetLeaveNoticesAndNameIsFree()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        JoinTwoRoomsInReverse(a, b, port);

        a.Send("CHAT: 0\nJOIN_ID: 2\nCLIENT_NAME: a\nMESS");
        a.Reset();

        b.ReadExactly(Leaves(0, "a") + Leaves(1, "a"));
        b.Sync();
        using var again = server.Connect();
        again.Send(Join("x", "A"));
        again.ReadExactly(Joined("x", port, 0, 3) + Joins(0, "A"));
        b.ReadExactly(Joins(0, "A"));
    }

    [Test]
    public void Reset_RightAfterConnectManyTimes_ServerKeepsServing()
    {
        using var server = new TestServer();
        for (int i = 0; i < 100; i++)
        {
            using var quitter = server.Connect();
            quitter.Reset();
        }

        using var a = server.Connect();
        a.Sync();
        Assert.That(server.Server.StopReason, Is.Null);
    }

    [Test]
    public void Reset_WithBytesStillQueuedForIt_RoomGetsLeaveNoticeAndServerServes()
    {
        using var server = new TestServer();
        using var b = server.Connect(s => s.ReceiveBufferSize = 2048);
        using var a = server.Connect();
        int port = server.Port;
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "b"));
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "a"));
        var text = new string('z', 4000);
        for (int i = 0; i < 50; i++)
        {
            a.Send(Chat(0, 2, "a", text));
            a.ReadExactly(Chat(0, "a", text));
        }

        b.Reset();

        a.ReadExactly(Leaves(0, "b"));
        a.Sync();
    }

    [Test]
    public void Eof_InsideMessageBodyEndedBySingleLf_ChatDeliveredBeforeLeaveNotice()
    {
        using var server = new TestServer(new ServerSettings { MessageIdle = TimeSpan.Zero });
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "b"));
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "a"));
        b.ReadExactly(Joins(0, "a"));

        a.Send("CHAT: 0\nJOIN_ID: 2\nCLIENT_NAME: a\nMESSAGE: last words\n");
        a.ShutdownSend();

        b.ReadExactly(Chat(0, "a", "last words") + Leaves(0, "a"));
    }

    /// <summary>b makes rooms x (ref 0) and y (ref 1); a joins y first, then x.</summary>
    private static void JoinTwoRoomsInReverse(TestClient a, TestClient b, int port)
    {
        b.Send(Join("x", "b") + Join("y", "b"));
        b.ReadExactly(Joined("x", port, 0, 1) + Joins(0, "b") + Joined("y", port, 1, 1) + Joins(1, "b"));
        a.Send(Join("y", "a") + Join("x", "a"));
        a.ReadExactly(Joined("y", port, 1, 2) + Joins(1, "a") + Joined("x", port, 0, 2) + Joins(0, "a"));
        b.ReadExactly(Joins(1, "a") + Joins(0, "a"));
    }
}
