using ChatLoop.Server;
using ChatLoop.Server.Connections;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>
/// PROTOCOL.md §2.2–2.3, "the connection is the authority": a JOIN_ID that is not the connection's own is
/// ignored, and a room's name where its ref belongs stands for that room when the connection is in it.
/// </summary>
public sealed class ConnectionAuthorityTests
{
    private const int Port = HandlerHarness.Port;

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(100)]
    [TestCase(6666)]
    [TestCase(long.MaxValue)]
    public void Handle_ChatWithForeignJoinId_BroadcastUnderTheConnectionsOwnName(long joinId)
    {
        var (h, a, b) = TwoInRoomR();

        h.Feed(b, Chat(0, joinId, "somebody", "hi"));

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Chat(0, "b", "hi")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Chat(0, "b", "hi")));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(6666)]
    public void Handle_LeaveWithForeignJoinId_LeftCarriesOwnJoinIdThenNotice(long joinId)
    {
        var (h, a, b) = TwoInRoomR();

        h.Feed(b, Leave(0, joinId, "b"));

        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Left(0, 2) + Leaves(0, "b")));
        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Leaves(0, "b")));
        Assert.That(h.Handler.Rooms.Find(0)!.Members, Is.EqualTo(new[] { a }));
    }

    [Test]
    public void Handle_LeaveOfARoomNotInWithForeignJoinId_LeftWithOwnJoinIdAndNoNotice()
    {
        var (h, a, b) = TwoInRoomR();
        var c = h.Connect();
        h.Feed(c, Join("s", "c"));
        HandlerHarness.Take(c);

        h.Feed(c, Leave(0, 1, "c") + Leave(77, 6666, "c"));

        Assert.That(HandlerHarness.Take(c), Is.EqualTo(Left(0, 3) + Left(77, 3)));
        Assert.That(HandlerHarness.Take(a) + HandlerHarness.Take(b), Is.Empty);
    }

    [Test]
    public void Handle_LeaveBeforeAnyJoin_Error5NoJoinIdToReplyWith()
    {
        var (h, a, _) = TwoInRoomR();
        var fresh = h.Connect();

        h.Feed(fresh, Leave(0, 1, "x"));

        Assert.That(HandlerHarness.Take(fresh), Does.Match("^ERROR_CODE: 5\\nERROR_DESCRIPTION: [^\\n]+\\n$"));
        Assert.That(HandlerHarness.Take(a), Is.Empty);
    }

    [Test]
    public void Handle_ChatWithAMembersJoinIdToARoomNotIn_Error5AndNothingBroadcast()
    {
        var (h, a, b) = TwoInRoomR();
        var c = h.Connect();
        h.Feed(c, Join("s", "c"));
        HandlerHarness.Take(c);

        h.Feed(c, Chat(0, 1, "a", "let me in"));

        Assert.That(HandlerHarness.Take(c), Does.Match("^ERROR_CODE: 5\\nERROR_DESCRIPTION: [^\\n]+\\n$"));
        Assert.That(HandlerHarness.Take(a) + HandlerHarness.Take(b), Is.Empty);
    }

    [Test]
    public void Handle_ChatByNameOfOwnRoom_BroadcastWithTheNumericRef()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        var b = h.Connect();
        h.Feed(a, Join("first", "a") + Join("room1", "a"));
        h.Feed(b, Join("room1", "b"));
        HandlerHarness.TakeAll(a, b);

        h.Feed(b, "CHAT: room1\nJOIN_ID: 6666\nCLIENT_NAME: b\nMESSAGE: by name\n\n");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Chat(1, "b", "by name")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Chat(1, "b", "by name")));
    }

    [Test]
    public void Handle_LeaveByNameOfOwnRoom_LeftWithNumericRefAndOwnJoinIdThenNotice()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        var b = h.Connect();
        h.Feed(a, Join("first", "a") + Join("Whatsapp22", "a"));
        h.Feed(b, Join("Whatsapp22", "b"));
        HandlerHarness.TakeAll(a, b);

        h.Feed(b, "LEAVE_CHATROOM: Whatsapp22\nJOIN_ID: 0\nCLIENT_NAME: b\n");

        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Left(1, 2) + Leaves(1, "b")));
        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Leaves(1, "b")));
    }

    [Test]
    public void Handle_NameOfARoomTheConnectionIsNotIn_Error2AndNothingBroadcast()
    {
        var (h, a, b) = TwoInRoomR();
        var c = h.Connect();
        h.Feed(c, Join("s", "c"));
        HandlerHarness.Take(c);

        h.Feed(c, "CHAT: r\nJOIN_ID: 3\nCLIENT_NAME: c\nMESSAGE: not mine\n\nLEAVE_CHATROOM: r\nJOIN_ID: 3\nCLIENT_NAME: c\n");

        Assert.That(HandlerHarness.Take(c), Does.Match("^(ERROR_CODE: 2\\nERROR_DESCRIPTION: [^\\n]*'r'[^\\n]*\\n){2}$"));
        Assert.That(HandlerHarness.Take(a) + HandlerHarness.Take(b), Is.Empty);
        Assert.That(h.Handler.Rooms.Find(0)!.Members, Is.EqualTo(new[] { a, b }));
    }

    [Test]
    public void Handle_NameBeforeAnyJoin_Error2()
    {
        var h = new HandlerHarness();
        var a = h.Connect();

        h.Feed(a, "LEAVE_CHATROOM: room1\nJOIN_ID: 1\nCLIENT_NAME: a\n");

        Assert.That(HandlerHarness.Take(a), Does.StartWith("ERROR_CODE: 2\n"));
    }

    [Test]
    public void Handle_NameInAnotherCase_Error2BecauseRoomNamesMatchExactly()
    {
        var (h, _, b) = TwoInRoomR();

        h.Feed(b, "CHAT: R\nJOIN_ID: 2\nCLIENT_NAME: b\nMESSAGE: m\n\n");

        Assert.That(HandlerHarness.Take(b), Does.StartWith("ERROR_CODE: 2\n"));
    }

    [Test]
    public void Handle_RoomNamedWithDigits_TheIntegerReadingWins()
    {
        // Room "1" gets ref 0 and room "0" gets ref 1: "CHAT: 1" is ref 1, the room named "0".
        var h = new HandlerHarness();
        var a = h.Connect();
        h.Feed(a, Join("1", "a") + Join("0", "a"));
        HandlerHarness.Take(a);

        h.Feed(a, Chat(1, 1, "a", "to ref 1") + Leave(0, 1, "a"));

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Chat(1, "a", "to ref 1") + Left(0, 1) + Leaves(0, "a")));
        Assert.That(h.Handler.Rooms.Find("1")!.Members, Is.Empty, "LEAVE_CHATROOM: 0 left ref 0, the room named \"1\"");
        Assert.That(h.Handler.Rooms.Find("0")!.Members, Is.EqualTo(new[] { a }));
    }

    [Test]
    public void Handle_RoomNamedWithDigitsAndNoSuchRef_Error4NotThatRoom()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        h.Feed(a, Join("42", "a"));
        HandlerHarness.Take(a);

        h.Feed(a, Chat(42, 1, "a", "m"));

        Assert.That(HandlerHarness.Take(a), Does.StartWith("ERROR_CODE: 4\n"));
    }

    [Test]
    public void Handle_RoomThatNoLongerExists_ByNameError2ByRefChatError4AndLeaveIdempotent()
    {
        // One room fits: once "old" is empty, joining "new" forgets it (PROTOCOL.md §2.1).
        var h = new HandlerHarness(new ServerSettings { MaxRooms = 1 });
        var a = h.Connect();
        var b = h.Connect();
        h.Feed(a, Join("old", "a") + Leave(0, 1, "a"));
        h.Feed(b, Join("new", "b"));
        Assert.That(h.Handler.Rooms.Find("old"), Is.Null);
        HandlerHarness.TakeAll(a, b);

        h.Feed(a, "CHAT: old\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n\n");
        Assert.That(HandlerHarness.Take(a), Does.StartWith("ERROR_CODE: 2\n"));
        h.Feed(a, "LEAVE_CHATROOM: old\nJOIN_ID: 1\nCLIENT_NAME: a\n");
        Assert.That(HandlerHarness.Take(a), Does.StartWith("ERROR_CODE: 2\n"));
        h.Feed(a, Chat(0, 1, "a", "m"));
        Assert.That(HandlerHarness.Take(a), Does.StartWith("ERROR_CODE: 4\n"));
        h.Feed(a, Leave(0, 6666, "a"));
        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Left(0, 1)));
        Assert.That(HandlerHarness.Take(b), Is.Empty);
    }

    private static (HandlerHarness H, Connection A, Connection B) TwoInRoomR()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        var b = h.Connect();
        h.Feed(a, Join("r", "a"));
        h.Feed(b, Join("r", "b"));
        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Joined("r", Port, 0, 1) + Joins(0, "a") + Joins(0, "b")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Joined("r", Port, 0, 2) + Joins(0, "b")));
        return (h, a, b);
    }
}
