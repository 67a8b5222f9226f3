using ChatLoop.Server;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>The handler alone (no reactor): what it queues on each connection for each request.</summary>
public sealed class CommandHandlerTests
{
    private const int Port = HandlerHarness.Port;

    [Test]
    public void Handle_JoinThenSecondMember_RepliesToJoinerNoticesToEveryMember()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        var b = h.Connect();

        h.Feed(a, Join("r", "a"));
        h.Feed(b, Join("r", "b"));

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Joined("r", Port, 0, 1) + Joins(0, "a") + Joins(0, "b")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Joined("r", Port, 0, 2) + Joins(0, "b")));
        Assert.That(h.Work.Dirty, Is.EquivalentTo(new[] { a, b }), "each connection with queued bytes listed once");
    }

    [Test]
    public void Handle_Chat_SameBlockOnEveryMemberAndNoneOnOthers()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        var b = h.Connect();
        var outsider = h.Connect();
        h.Feed(a, Join("r", "a"));
        h.Feed(b, Join("r", "b"));
        h.Feed(outsider, Join("elsewhere", "o"));
        HandlerHarness.TakeAll(a, b, outsider);

        h.Feed(b, Chat(0, 2, "b", "two\nlines"));

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Chat(0, "b", "two\nlines")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Chat(0, "b", "two\nlines")));
        Assert.That(HandlerHarness.Take(outsider), Is.Empty);
        Assert.That(h.Stats.MessagesIn, Is.EqualTo(1));
    }

    [TestCase(1, 1, 5)]
    [TestCase(2, 1, 5)]
    [TestCase(2, 9, 4)]
    public void Handle_ChatRefused_ErrorToSenderOnlyAndNothingBroadcast(long joinId, long roomRef, int code)
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        var b = h.Connect();
        h.Feed(a, Join("r", "a") + Join("s", "a"));
        h.Feed(b, Join("r", "b"));
        HandlerHarness.TakeAll(a, b);

        h.Feed(b, Chat(roomRef, joinId, "b", "refused"));

        Assert.That(HandlerHarness.Take(b), Does.Match($"^ERROR_CODE: {code}\\nERROR_DESCRIPTION: [^\\n]+\\n$"));
        Assert.That(HandlerHarness.Take(a), Is.Empty);
        Assert.That(b.IsOpen, Is.True);
    }

    [Test]
    public void Handle_Leave_LeftThenNoticeToAllThenIdempotent()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        var b = h.Connect();
        h.Feed(a, Join("r", "a"));
        h.Feed(b, Join("r", "b"));
        HandlerHarness.TakeAll(a, b);

        h.Feed(a, Leave(0, 1, "a") + Leave(0, 1, "a"));

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Left(0, 1) + Leaves(0, "a") + Left(0, 1)));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Leaves(0, "a")));
        Assert.That(h.Handler.Rooms.Find(0)!.Members, Is.EqualTo(new[] { b }));
    }

    [Test]
    public void Retire_MemberOfTwoRoomsJoinedInReverse_NoticesInAscendingRefOrderAndNameFreed()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        var b = h.Connect();
        h.Feed(b, Join("x", "b") + Join("y", "b"));
        h.Feed(a, Join("y", "a") + Join("x", "a"));
        HandlerHarness.TakeAll(a, b);

        h.Feed(a, Disconnect("a") + Helo("ignored") + Join("z", "a"));

        Assert.That(a.IsOpen, Is.False);
        Assert.That(h.Work.Closing, Is.EqualTo(new[] { a }));
        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Leaves(0, "a") + Leaves(1, "a")));
        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Leaves(0, "a") + Leaves(1, "a")));
        Assert.That(h.Handler.NamesBound, Is.EqualTo(1));
        Assert.That(h.Handler.Rooms.Count, Is.EqualTo(2), "the JOIN after DISCONNECT made no room");
    }

    [Test]
    public void Retire_Twice_NoticesOnlyOnce()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        var b = h.Connect();
        h.Feed(a, Join("r", "a"));
        h.Feed(b, Join("r", "b"));
        HandlerHarness.TakeAll(a, b);
        a.MarkClosing("test", hard: false);

        h.Handler.Retire(a);
        h.Handler.Retire(a);

        Assert.That(HandlerHarness.Take(b), Is.EqualTo(Leaves(0, "a")));
    }

    [Test]
    public void Handle_MemberQueueOverMaxOutbound_Error10ToItClosingAndOthersServed()
    {
        var h = new HandlerHarness(new ServerSettings { MaxOutboundBytes = 400 });
        var slow = h.Connect();
        var a = h.Connect();
        h.Feed(slow, Join("r", "slow"));
        h.Feed(a, Join("r", "a"));
        HandlerHarness.Take(a);
        int before = slow.Outbound.Length;
        var message = new string('m', 100);

        h.Feed(a, Chat(0, 2, "a", message) + Chat(0, 2, "a", message));
        var slowQueue = HandlerHarness.Take(slow);

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Chat(0, "a", message) + Chat(0, "a", message) + Leaves(0, "slow")));
        Assert.That(slow.IsOpen, Is.False);
        Assert.That(h.Work.Closing, Does.Contain(slow));
        Assert.That(before + Chat(0, "a", message).Length, Is.LessThanOrEqualTo(400), "the first chat fits");
        Assert.That(slowQueue, Does.EndWith(Chat(0, "a", message) + "ERROR_CODE: 10\nERROR_DESCRIPTION: too slow: more than 400 bytes queued for this client\n"));
    }

    [Test]
    public void Handle_LineTooLong_Error3AndClosing()
    {
        var h = new HandlerHarness(new ServerSettings { MaxLineBytes = 16 });
        var a = h.Connect();

        h.Feed(a, "HELO " + new string('x', 40) + "\n");

        Assert.That(HandlerHarness.Take(a), Does.StartWith("ERROR_CODE: 3\n"));
        Assert.That(a.IsOpen, Is.False);
        Assert.That(a.CloseHard, Is.False, "the ERROR must be flushed before closing");
    }

    [Test]
    public void Handle_HttpRequestLine_ClosedHardWithNothingQueued()
    {
        var h = new HandlerHarness();
        var a = h.Connect();

        h.Feed(a, "POST /chat HTTP/1.1\r\nHost: x\r\n\r\nKILL_SERVICE\n");

        Assert.That(a.IsOpen, Is.False);
        Assert.That(a.CloseHard, Is.True);
        Assert.That(HandlerHarness.Take(a), Is.Empty);
    }

    [Test]
    public void Handle_Helo_EchoesTextWithAddressPortAndStudentId()
    {
        var h = new HandlerHarness(new ServerSettings { StudentId = "12345678" });
        var a = h.Connect();

        h.Feed(a, "HELO  two spaces\n");

        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Helo("  two spaces", Port, "12345678")));
        Assert.That(h.Handler.NamesBound, Is.Zero);
    }

    [Test]
    public void Handle_Stats_CountersBlockEndingWithBlankLine()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        h.Feed(a, Join("r", "a") + Chat(0, 1, "a", "hi"));
        HandlerHarness.Take(a);

        h.Feed(a, "STATS\n");
        var stats = HandlerHarness.Take(a);

        foreach (var key in new[] { "CLIENTS", "ROOMS", "MESSAGES_IN", "DELIVERIES_OUT", "BYTES_IN", "BYTES_OUT", "UPTIME_S" })
        {
            Assert.That(stats, Does.Match($"(^|\\n){key}: \\d+\\n"), key);
        }

        Assert.That(stats, Does.Contain("ROOMS: 1\n").And.Contain("MESSAGES_IN: 1\n").And.EndWith("\n\n"));
    }
}
