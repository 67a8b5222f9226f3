using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Cluster;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Cluster;

[TestFixture]
public sealed class EventBatchTests
{
    private static Connection Member(long id) => new(id, LoopbackSocket.Accepted(), null, new TickWork(), new ReaderLimits(1024, 4096), 1 << 16, 1 << 15, 0);

    [Test]
    public void Add_ChatsOfOneMemberInOneRoomInARow_OneUnit_OthersBreakTheRun()
    {
        var (a, b) = (Member(1), Member(2));
        var (lobby, side) = (new Room("lobby", 1), new Room("side", 2));
        var batch = new EventBatch();

        batch.Add(new BatchEntry(a, RoomEventKind.Chat, lobby), 9, 11, 1, "a"u8, null, "1"u8);
        batch.Add(new BatchEntry(a, RoomEventKind.Chat, lobby), 9, 11, 1, "a"u8, null, "2"u8);
        batch.Add(new BatchEntry(b, RoomEventKind.Chat, lobby), 9, 12, 1, "b"u8, null, "3"u8);
        batch.Add(new BatchEntry(a, RoomEventKind.Chat, side), 9, 11, 2, "a"u8, null, "4"u8);
        batch.Add(new BatchEntry(a, RoomEventKind.Leave, side), 9, 11, 2, "a"u8, null, default);
        batch.Add(new BatchEntry(a, RoomEventKind.Chat, side), 9, 11, 2, "a"u8, null, "5"u8);

        Assert.That(batch.Entries.Select(e => (e.Kind, e.Count)), Is.EqualTo(new[]
        {
            (RoomEventKind.Chat, 2), (RoomEventKind.Chat, 1), (RoomEventKind.Chat, 1), (RoomEventKind.Leave, 1), (RoomEventKind.Chat, 1),
        }));
        var args = batch.Arguments(9, "e", 0);
        Assert.That(args, Has.Length.EqualTo(3 + (2 * 5)), "publisher, incarnation, deadline, then JOIN_ID and piece per unit");
        Assert.That(batch.Keys("reg").Select(k => (string?)k), Is.EqualTo(new[]
        {
            "reg", "{room:1}:members", "{room:1}:nodes", "{room:1}:seq", "{room:2}:members", "{room:2}:nodes", "{room:2}:seq",
        }));
    }

    [Test]
    public void IsFull_AtTheUnitBound_TheOwnerSendsAndStartsAnother()
    {
        var batch = new EventBatch();
        for (int i = 0; i < EventBatch.MaxUnits - 1; i++)
        {
            batch.Add(new BatchEntry(null, RoomEventKind.Gone, null), 9, i, i % 7, "n"u8, null, default);
        }

        Assert.That(batch.IsFull, Is.False);
        batch.Add(new BatchEntry(null, RoomEventKind.Gone, null), 9, 5000, 1, "n"u8, null, default);
        Assert.That(batch.IsFull, Is.True);
    }

    [Test]
    public void IsFull_AtTheByteBound_EvenWithFewUnits()
    {
        var member = Member(1);
        var room = new Room("lobby", 1);
        var body = new byte[60_000];
        var batch = new EventBatch();
        while (!batch.IsFull)
        {
            batch.Add(new BatchEntry(member, RoomEventKind.Chat, room), 9, 11, 1, "a"u8, null, body);
        }

        Assert.That(batch.Count, Is.EqualTo(1), "one member's chats in a row: one run");
        Assert.That(batch.Entries[0].Count, Is.EqualTo((EventBatch.MaxBytes / (body.Length + 4)) + 1));
    }
}
