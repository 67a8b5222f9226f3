using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>
/// The handler's side of the sequencer seam: a valid request becomes exactly one room event handed to the
/// sequencer and nothing is queued until it is applied; an invalid one is answered and never reaches it.
/// </summary>
public sealed class HandlerSequencerTests
{
    [Test]
    public void Handle_Join_HandsTheJoinToTheSequencerAndQueuesNothing()
    {
        var (h, sequencer) = Recording();
        var a = h.Connect();

        h.Feed(a, Join("r", "a"));

        Assert.That(sequencer.Calls, Is.EqualTo(new[] { "join a r" }));
        Assert.That(sequencer.Origins, Is.EqualTo(new[] { a }));
        Assert.That(HandlerHarness.Take(a), Is.Empty, "the reply comes when the join is applied");
    }

    [Test]
    public void Handle_FirstJoinOfANewRoom_SubmittedUnsettled_TheSequencerBindsTheNameAndMakesTheRoom()
    {
        var (h, sequencer) = Recording();
        var a = h.Connect();

        h.Feed(a, Join("new", "a"));

        Assert.That(sequencer.Calls, Is.EqualTo(new[] { "join a new" }), "a room event like the others, through Submit");
        Assert.That(h.Handler.Rooms.Find("new"), Is.Null, "the room is the sequencer's to make (a cluster takes its ref from Redis)");
        Assert.That(a.Member.Name, Is.Null, "the name and JOIN_ID are bound when the sequencer has settled the join");
        Assert.That(a.Member.JoinId, Is.Zero);
        Assert.That(h.Handler.Names.Holder("a"), Is.Null);
    }

    [Test]
    public void Handle_ChatFromMember_OneChatEventWithItsBodyAndNothingQueued()
    {
        var (h, sequencer, a) = RecordingWithMember("r", "a");

        h.Feed(a, Chat(0, 1, "a", "two\nlines"));

        Assert.That(sequencer.Calls, Is.EqualTo(new[] { "chat a r two\nlines" }));
        Assert.That(sequencer.Origins, Is.EqualTo(new[] { a }));
        Assert.That(HandlerHarness.Take(a), Is.Empty, "the chat comes back to the sender when it is applied");
    }

    [Test]
    public void Handle_LeaveFromMember_OneLeaveEvent()
    {
        var (h, sequencer, a) = RecordingWithMember("r", "a");

        h.Feed(a, Leave(0, 1, "a"));

        Assert.That(sequencer.Calls, Is.EqualTo(new[] { "leave a r" }));
        Assert.That(HandlerHarness.Take(a), Is.Empty, "LEFT_CHATROOM comes when the leave is applied");
    }

    [Test]
    public void Handle_ChatToANonexistentRoom_Error4AndNothingSequenced()
    {
        var (h, sequencer, a) = RecordingWithMember("r", "a");

        h.Feed(a, Chat(9, 1, "a", "refused"));

        Assert.That(sequencer.Calls, Is.Empty);
        Assert.That(HandlerHarness.Take(a), Does.StartWith("ERROR_CODE: 4\n"));
    }

    [Test]
    public void Handle_ChatToARoomNotJoined_Error5AndNothingSequenced()
    {
        var (h, sequencer, _) = RecordingWithMember("r", "b");
        var a = h.Connect();

        h.Feed(a, Chat(0, 1, "a", "refused"));

        Assert.That(sequencer.Calls, Is.Empty);
        Assert.That(HandlerHarness.Take(a), Does.StartWith("ERROR_CODE: 5\n"));
    }

    [Test]
    public void Handle_JoinWhileTheSequencerIsUnavailable_Error12AndNothingSequenced()
    {
        var (h, sequencer) = Recording();
        sequencer.Unavailable = "Redis is not answering";
        var a = h.Connect();

        h.Feed(a, Join("r", "a"));

        Assert.That(sequencer.Calls, Is.Empty);
        Assert.That(HandlerHarness.Take(a), Does.StartWith("ERROR_CODE: 12\n").And.Contain("Redis is not answering"));
    }

    [Test]
    public void Handle_JoinOfARoomAlreadyIn_AnsweredHereAndNotSequenced()
    {
        var (h, sequencer, a) = RecordingWithMember("r", "a");

        h.Feed(a, Join("r", "a"));

        Assert.That(sequencer.Calls, Is.Empty, "changes no room, so every node answers it the same way itself");
        Assert.That(HandlerHarness.Take(a), Is.EqualTo(Blocks.Joined("r", HandlerHarness.Port, 0, 1) + Blocks.Joins(0, "a")));
    }

    [Test]
    public void Retire_MemberOfTwoRooms_GoneForEachInRefOrderThenRetiringAndNotYetRetired()
    {
        var h = new HandlerHarness();
        var a = h.Connect();
        h.Feed(a, Join("r", "a") + Join("s", "a"));
        var sequencer = new RecordingSequencer();
        h.Handler.Sequencer = sequencer;

        h.Handler.Retire(a);

        Assert.That(sequencer.Calls, Is.EqualTo(new[] { "gone a r", "gone a s", "retiring a" }));
        Assert.That(a.Member.Retired, Is.False, "a cluster finishes the retiring once the leaving is applied");
        Assert.That(h.Handler.Names.Holder("a"), Is.SameAs(a), "the name is held until then");
    }

    private static (HandlerHarness Harness, RecordingSequencer Sequencer) Recording()
    {
        var h = new HandlerHarness();
        var sequencer = new RecordingSequencer();
        h.Handler.Sequencer = sequencer;
        return (h, sequencer);
    }

    /// <summary>A member of <paramref name="room"/> (joined through the local sequencer), then the recorder in its place.</summary>
    private static (HandlerHarness Harness, RecordingSequencer Sequencer, ChatLoop.Server.Connections.Connection Member) RecordingWithMember(string room, string name)
    {
        var h = new HandlerHarness();
        var c = h.Connect();
        h.Feed(c, Join(room, name));
        HandlerHarness.Take(c);
        var sequencer = new RecordingSequencer();
        h.Handler.Sequencer = sequencer;
        return (h, sequencer, c);
    }
}
