using ChatLoop.Protocol;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>PROTOCOL.md §2.1 and §2.2: JOIN_ID, ROOM_REF, names, rejoining and leaving.</summary>
public sealed class JoinLeaveTests(PollerKind poller) : PollerFixture(poller)
{
    [Test]
    public void Join_SeveralRooms_OneJoinIdPerConnectionCountingFromOne()
    {
        using var server = new TestServer();
        using var heloOnly = server.Connect();
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        heloOnly.Sync();

        a.Send(Join("r1", "a") + Join("r2", "a") + Join("r3", "a"));
        a.ReadExactly(Joined("r1", port, 0, 1) + Joins(0, "a") + Joined("r2", port, 1, 1) + Joins(1, "a") + Joined("r3", port, 2, 1) + Joins(2, "a"));

        // A refused JOIN binds nothing and takes no id.
        b.Send(Join("r1", "A"));
        b.ReadError(ErrorCode.InvalidName);
        b.Send(Join("r2", "b") + Join("r1", "b"));
        b.ReadExactly(Joined("r2", port, 1, 2) + Joins(1, "b") + Joined("r1", port, 0, 2) + Joins(0, "b"));
    }

    [Test]
    public void Join_RoomNamesOverTime_RefsFromZeroAndStable()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        a.Send(Join("alpha", "a") + Join("beta", "a") + Join("gamma", "a"));
        a.ReadExactly(Joined("alpha", port, 0, 1) + Joins(0, "a") + Joined("beta", port, 1, 1) + Joins(1, "a") + Joined("gamma", port, 2, 1) + Joins(2, "a"));
        a.Send(Leave(0, 1, "a") + Leave(1, 1, "a") + Leave(2, 1, "a"));
        a.ReadExactly(Left(0, 1) + Leaves(0, "a") + Left(1, 1) + Leaves(1, "a") + Left(2, 1) + Leaves(2, "a"));

        // Empty rooms are kept, with their refs; room names match exactly, so "Alpha" is a new room.
        b.Send(Join("gamma", "b") + Join("alpha", "b") + Join("Alpha", "b"));

        b.ReadExactly(Joined("gamma", port, 2, 2) + Joins(2, "b") + Joined("alpha", port, 0, 2) + Joins(0, "b") + Joined("Alpha", port, 3, 2) + Joins(3, "b"));
    }

    [Test]
    public void Join_RoomAlreadyJoined_JoinedAgainAndNoticeToJoinerOnly()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "a"));
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "b"));
        a.ReadExactly(Joins(0, "b"));

        a.Send(Join("r", "a"));

        a.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "a"));
        b.Sync();

        // Still one membership: one leave notice, and b no longer hears a.
        a.Send(Leave(0, 1, "a"));
        a.ReadExactly(Left(0, 1) + Leaves(0, "a"));
        b.ReadExactly(Leaves(0, "a"));
        b.Send(Chat(0, 2, "b", "only me"));
        b.ReadExactly(Chat(0, "b", "only me"));
        a.Sync();
    }

    [Test]
    public void Leave_RepeatedOrNotAMember_SameLeftReplyAndNoNotice()
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

        a.Send(Leave(0, 2, "a") + Leave(0, 2, "a") + Leave(1, 2, "a"));

        a.ReadExactly(Left(0, 2) + Leaves(0, "a") + Left(0, 2) + Left(1, 2));
        b.ReadExactly(Leaves(0, "a"));
        a.Sync();
        b.Sync();

        // The connection stays open and may join again, with its JOIN_ID.
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "a"));
        b.ReadExactly(Joins(0, "a"));
    }

    [Test]
    public void Join_NameHeldAnyCase_Error6UntilTheHolderDisconnects()
    {
        using var server = new TestServer();
        using var holder = server.Connect();
        using var other = server.Connect();
        int port = server.Port;
        holder.Send(Join("r", "Alice"));
        holder.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "Alice"));

        other.Send(Join("s", "alice"));
        other.ReadError(ErrorCode.InvalidName);
        other.Send(Join("r", "ALICE"));
        other.ReadError(ErrorCode.InvalidName);
        holder.Sync();

        holder.Send(Disconnect("Alice"));
        holder.ReadExactly(Leaves(0, "Alice"));
        holder.ExpectClosed();

        other.Send(Join("r", "ALICE"));
        other.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "ALICE"));
    }

    [Test]
    public void Join_SameConnectionAnotherName_Error6AndFirstNameKept()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        int port = server.Port;
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "a"));

        a.Send(Join("s", "zed"));

        a.ReadError(ErrorCode.InvalidName);
        a.Send(Join("s", "a"));
        a.ReadExactly(Joined("s", port, 1, 1) + Joins(1, "a"));
    }

    [Test]
    public void Chat_RequestNamesSomeoneElse_BroadcastCarriesTheBoundName()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        int port = server.Port;
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "a"));

        a.Send(Chat(0, 1, "mallory", "hi"));

        a.ReadExactly(Chat(0, "a", "hi"));
    }
}
