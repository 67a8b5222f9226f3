using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>Limits on clients and rooms (PROTOCOL.md §2.1, §2.7 codes 7 and 9).</summary>
public sealed class CapacityTests(PollerKind poller) : PollerFixture(poller)
{
    [Test]
    public void Connect_OverMaxClients_Error9AndClosedOthersServed()
    {
        using var server = new TestServer(new ServerSettings { MaxClients = 2 });
        using var a = server.Connect();
        using var b = server.Connect();
        a.Sync();
        b.Sync();

        using var c = server.Connect();

        c.ReadError(ErrorCode.ServerFull);
        c.ExpectClosed();
        a.Sync();
        b.Sync();
    }

    [Test]
    public void Join_OverRoomsPerClient_Error7StaysOpenAndRejoinStillWorks()
    {
        using var server = new TestServer(new ServerSettings { MaxRoomsPerClient = 2 });
        using var a = server.Connect();
        int port = server.Port;
        a.Send(Join("r1", "a") + Join("r2", "a"));
        a.ReadExactly(Joined("r1", port, 0, 1) + Joins(0, "a") + Joined("r2", port, 1, 1) + Joins(1, "a"));

        a.Send(Join("r3", "a"));

        a.ReadError(ErrorCode.LimitReached);
        a.Send(Join("r1", "a") + Leave(1, 1, "a") + Join("r3", "a"));
        a.ReadExactly(Joined("r1", port, 0, 1) + Joins(0, "a") + Left(1, 1) + Leaves(1, "a") + Joined("r3", port, 2, 1) + Joins(2, "a"));
    }

    [Test]
    public void Join_ServerRoomTableFullOfMembers_Error7AndExistingRoomsStillJoinable()
    {
        using var server = new TestServer(new ServerSettings { MaxRooms = 2 });
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        a.Send(Join("r1", "a") + Join("r2", "a"));
        a.ReadExactly(Joined("r1", port, 0, 1) + Joins(0, "a") + Joined("r2", port, 1, 1) + Joins(1, "a"));

        b.Send(Join("r3", "b"));

        b.ReadError(ErrorCode.LimitReached);
        b.Send(Join("r2", "b"));
        b.ReadExactly(Joined("r2", port, 1, 2) + Joins(1, "b"));
        a.ReadExactly(Joins(1, "b"));
    }

    [Test]
    public void Join_RoomTableFull_LeastRecentlyUsedEmptyRoomForgottenAndRefsNeverReused()
    {
        using var server = new TestServer(new ServerSettings { MaxRooms = 2 });
        using var a = server.Connect();
        int port = server.Port;
        a.Send(Join("x", "a") + Join("y", "a") + Leave(1, 1, "a") + Leave(0, 1, "a"));
        a.ReadExactly(Joined("x", port, 0, 1) + Joins(0, "a") + Joined("y", port, 1, 1) + Joins(1, "a")
            + Left(1, 1) + Leaves(1, "a") + Left(0, 1) + Leaves(0, "a"));

        // y emptied first, so it is the one forgotten.
        a.Send(Join("z", "a"));
        a.ReadExactly(Joined("z", port, 2, 1) + Joins(2, "a"));
        a.Send(Chat(1, 1, "a", "to y") + Leave(1, 1, "a"));
        a.ReadError(ErrorCode.NoSuchRoom);
        a.ReadExactly(Left(1, 1));
        a.Send(Join("x", "a"));
        a.ReadExactly(Joined("x", port, 0, 1) + Joins(0, "a"));

        // y comes back under a new ref; x, now the only empty room, makes space for it.
        a.Send(Leave(0, 1, "a") + Join("y", "a"));
        a.ReadExactly(Left(0, 1) + Leaves(0, "a") + Joined("y", port, 3, 1) + Joins(3, "a"));
        a.Send(Chat(0, 1, "a", "to x"));
        a.ReadError(ErrorCode.NoSuchRoom);
        a.Send(Chat(3, 1, "a", "to y"));
        a.ReadExactly(Chat(3, "a", "to y"));
    }
}
