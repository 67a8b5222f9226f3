using ChatLoop.Client;

namespace ChatLoop.Tests.Client;

public sealed class ClientStateTests
{
    [Test]
    public void OnJoined_NewRoom_BecomesCurrentWithRefAndJoinId()
    {
        var state = new ClientState();

        state.OnJoined("room1", 0, 7);
        state.OnJoined("room2", 3, 7);

        Assert.That(state.Current, Is.EqualTo(new JoinedRoom("room2", 3)));
        Assert.That(state.JoinId, Is.EqualTo(7));
        Assert.That(state.Joined, Is.EqualTo(new[] { new JoinedRoom("room1", 0), new JoinedRoom("room2", 3) }));
    }

    [Test]
    public void OnJoined_SameRoomAgain_ListedOnce()
    {
        var state = new ClientState();
        state.OnJoined("room1", 0, 1);
        state.OnJoined("room2", 1, 1);

        state.OnJoined("room1", 0, 1);

        Assert.That(state.Joined, Has.Count.EqualTo(2));
        Assert.That(state.Current?.Name, Is.EqualTo("room1"));
    }

    [Test]
    public void OnLeft_CurrentRoom_LatestOtherRoomBecomesCurrent()
    {
        var state = new ClientState();
        state.OnJoined("a", 0, 1);
        state.OnJoined("b", 1, 1);
        state.OnJoined("c", 2, 1);
        state.TrySwitch("b");

        state.OnLeft(1);

        Assert.That(state.Current?.Name, Is.EqualTo("c"));
        Assert.That(state.Find("b"), Is.Null);
    }

    [Test]
    public void OnLeft_LastRoom_NoCurrentButNameStillKnown()
    {
        var state = new ClientState();
        state.OnJoined("room1", 5, 1);

        state.OnLeft(5);

        Assert.That(state.Current, Is.Null);
        Assert.That(state.Joined, Is.Empty);
        Assert.That(state.NameOf(5), Is.EqualTo("room1"), "the leave notice comes after LEFT_CHATROOM and still needs the name");
    }

    [Test]
    public void TrySwitch_RoomNotJoined_FalseAndCurrentUnchanged()
    {
        var state = new ClientState();
        state.OnJoined("room1", 0, 1);

        Assert.That(state.TrySwitch("Room1"), Is.False, "room names match exactly");
        Assert.That(state.Current?.Name, Is.EqualTo("room1"));
    }
}
