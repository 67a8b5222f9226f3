using System.Net;
using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;

namespace ChatLoop.Tests.Server;

/// <summary>
/// The applier alone, fed room events as a sequencer hands them over (at once on one node, from the backplane
/// in a cluster): membership changes and what each local member is queued.
/// </summary>
public sealed class EventApplierTests
{
    private const int Port = 5000;

    private readonly ServerSettings _settings = new();
    private readonly TickWork _work = new();
    private RoomTable _rooms = null!;
    private EventApplier _applier = null!;
    private Room _room = null!;
    private long _nextId = 1;

    [SetUp]
    public void SetUp()
    {
        _rooms = new RoomTable(_settings.MaxRooms);
        _applier = new EventApplier(_rooms, new Outbox(_settings, new ServerStats(), _work) { Port = Port });
        _room = _rooms.GetOrAdd("r")!;
    }

    [Test]
    public void Apply_LocalJoin_JoinerGetsJoinedThenNoticeAndBecomesAMember()
    {
        var a = Member("a");

        Apply(RoomEventKind.Join, a, "a");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Joined("r", Port, 0, a.Member.JoinId) + Joins(0, "a")));
        Assert.That(a.Member.IsIn(_room), Is.True);
        Assert.That(_room.Members, Is.EqualTo(new[] { a }));
    }

    [Test]
    public void Apply_SecondJoin_NoticeToEveryMemberRepliesOnlyToTheJoiner()
    {
        var a = Member("a");
        var b = Member("b");
        Apply(RoomEventKind.Join, a, "a");
        HandlerHarness.Take(a);

        Apply(RoomEventKind.Join, b, "b");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Joins(0, "b")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Joined("r", Port, 0, b.Member.JoinId) + Joins(0, "b")));
    }

    [Test]
    public void Apply_JoinOfAMemberAgain_ReplyAndNoticeToItOnlyAndMembershipUnchanged()
    {
        var a = Member("a");
        var b = Member("b");
        Apply(RoomEventKind.Join, a, "a");
        Apply(RoomEventKind.Join, b, "b");
        HandlerHarness.TakeAll(a, b);

        Apply(RoomEventKind.Join, a, "a");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Joined("r", Port, 0, a.Member.JoinId) + Joins(0, "a")));
        Assert.That(HandlerHarness.Take(b), Is.Empty);
        Assert.That(_room.Members, Has.Count.EqualTo(2));
    }

    [Test]
    public void Apply_JoinFromAnotherNode_NoticeToLocalMembersAndNoLocalMembershipChange()
    {
        var a = Member("a");
        Apply(RoomEventKind.Join, a, "a");
        HandlerHarness.Take(a);

        Apply(RoomEventKind.Join, null, "remote");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Joins(0, "remote")));
        Assert.That(_room.Members, Is.EqualTo(new[] { a }));
    }

    [Test]
    public void Apply_Chat_TheSameBlockToEveryMemberIncludingTheSender()
    {
        var a = Member("a");
        var b = Member("b");
        var outsider = Member("o");
        Apply(RoomEventKind.Join, a, "a");
        Apply(RoomEventKind.Join, b, "b");
        HandlerHarness.TakeAll(a, b);

        Apply(RoomEventKind.Chat, b, "b", "two\nlines");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Chat(0, "b", "two\nlines")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Chat(0, "b", "two\nlines")));
        Assert.That(HandlerHarness.Take(outsider), Is.Empty);
    }

    [Test]
    public void Apply_Leave_LeftToTheLeaverThenTheNoticeToAllItWasWithAndMembershipEnds()
    {
        var a = Member("a");
        var b = Member("b");
        Apply(RoomEventKind.Join, a, "a");
        Apply(RoomEventKind.Join, b, "b");
        HandlerHarness.TakeAll(a, b);

        Apply(RoomEventKind.Leave, a, "a");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Left(0, a.Member.JoinId) + Leaves(0, "a")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Leaves(0, "a")));
        Assert.That(a.Member.IsIn(_room), Is.False);
        Assert.That(_room.Members, Is.EqualTo(new[] { b }));
    }

    [Test]
    public void Apply_LeaveOfARoomNotIn_LeftOnlyAndNoNotice()
    {
        var a = Member("a");
        var b = Member("b");
        Apply(RoomEventKind.Join, b, "b");
        HandlerHarness.Take(b);

        Apply(RoomEventKind.Leave, a, "a");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Left(0, a.Member.JoinId)));
        Assert.That(HandlerHarness.Take(b), Is.Empty);
    }

    [Test]
    public void Apply_Gone_NoticeWithoutLeftAndMembershipEnds()
    {
        var a = Member("a");
        var b = Member("b");
        Apply(RoomEventKind.Join, a, "a");
        Apply(RoomEventKind.Join, b, "b");
        HandlerHarness.TakeAll(a, b);

        Apply(RoomEventKind.Gone, a, "a");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Leaves(0, "a")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Leaves(0, "a")));
        Assert.That(_room.Members, Is.EqualTo(new[] { b }));
    }

    private Connection Member(string name)
    {
        long id = _nextId++;
        var c = new Connection(id, LoopbackSocket.Accepted(), new IPEndPoint(IPAddress.Loopback, 40000), _work,
            new ReaderLimits(_settings.MaxLineBytes, _settings.MaxRequestBytes), _settings.MaxOutboundBytes, _settings.BackpressureBytes, 0);
        c.Member.Bind(name, id);
        return c;
    }

    private void Apply(RoomEventKind kind, Connection? origin, string name, string message = "") =>
        _applier.Apply(new RoomEvent(kind, _room, origin, Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(message)));
}
