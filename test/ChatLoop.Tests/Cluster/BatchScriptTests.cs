using System.Collections.Concurrent;
using System.Text;
using ChatLoop.Server;
using ChatLoop.Server.Cluster;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;
using ChatLoop.Tests.Support;
using StackExchange.Redis;

namespace ChatLoop.Tests.Cluster;

/// <summary>The batch script alone, on a real Redis: its fences, its routing and its numbering.</summary>
[TestFixture]
[NonParallelizable]
public sealed class BatchScriptTests
{
    private const long Node = 1;
    private const string Incarnation = "epoch-1";
    private const string Registered = "chatloop:node:1:registered";

    private RedisProcess _redis = null!;
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _db = null!;
    private readonly ConcurrentQueue<byte[]> _inbox = new();

    [SetUp]
    public void SetUp()
    {
        _inbox.Clear();
        _redis = RedisProcess.Start();
        _connection = ConnectionMultiplexer.Connect(_redis.Config);
        _db = _connection.GetDatabase();
        _db.StringSet(Registered, Incarnation);
        _connection.GetSubscriber().Subscribe(RedisChannel.Literal($"chatloop:inbox:{Node}")).OnMessage(m => _inbox.Enqueue((byte[])m.Message!));
    }

    [TearDown]
    public void TearDown()
    {
        _connection.Dispose();
        _redis.Dispose();
    }

    [Test]
    public void Chat_JoinIdNotInTheRoomsMemberSet_RefusedAndNotSequenced()
    {
        Assert.That(Run(Event("j", 5, 100, Node)), Is.Empty);

        Assert.That(Run(Event("c", 5, 101, Node), Event("c", 5, 100, Node)), Is.EqualTo("0:-5"), "the stranger's chat is refused, the member's taken");

        Assert.That((long)_db.StringGet("{room:5}:seq"), Is.EqualTo(2), "the join and the member's chat only");
        Assert.That(Received(2).Select(e => (e.Seq, e.JoinId)), Is.EqualTo(new[] { (1L, 100L), (2L, 100L) }));
    }

    [Test]
    public void Chat_AfterItsMembersLeaveInTheSameBatch_Refused()
    {
        Run(Event("j", 5, 100, Node));

        Assert.That(Run(Event("l", 5, 100, Node), Event("c", 5, 100, Node)), Is.EqualTo("1:-5"));
    }

    [TestCase(null, -3)]
    [TestCase("epoch-0", -4)]
    public void Batch_PublisherNotTheRegisteredIncarnation_WholeBatchRefusedAndNothingDone(string? registered, long code)
    {
        if (registered is null)
        {
            _db.KeyDelete(Registered);
        }
        else
        {
            _db.StringSet(Registered, registered);
        }

        var reply = Run(0, Batch(Event("j", 5, 100, Node)));

        Assert.That((long)reply, Is.EqualTo(code));
        Assert.That(_db.KeyExists("{room:5}:members") || _db.KeyExists("{room:5}:seq") || _db.KeyExists("{room:5}:nodes"), Is.False);
    }

    [Test]
    public void Batch_DeadlinePassed_JoinsAndChatsRefusedGoneTaken()
    {
        Run(Event("j", 5, 100, Node));

        string reply = (string)Run(1, Batch(Event("j", 5, 200, Node), Event("c", 5, 100, Node), Event("g", 5, 100, Node)))!;

        Assert.That(reply, Is.EqualTo("0:-1,1:-1"), "a deadline of 1 ms after 1970 has passed: only the gone event, which has none, is taken");
        Assert.That((long)_db.StringGet("{room:5}:seq"), Is.EqualTo(2));
    }

    [Test]
    public void Chat_RunOfOneMembersChats_OneUnitTakingConsecutiveNumbers()
    {
        Run(Event("j", 5, 100, Node), Event("j", 5, 200, Node));
        var member = new Connection(1, LoopbackSocket.Accepted(), null, new TickWork(), new ChatLoop.Protocol.ReaderLimits(1024, 4096), 1 << 16, 1 << 15, 0);
        var room = new Room("five", 5);
        var batch = new EventBatch();
        foreach (var text in new[] { "a", "b", "c" })
        {
            batch.Add(new BatchEntry(member, RoomEventKind.Chat, room), Node, 100, 5, "m"u8, null, Encoding.UTF8.GetBytes(text));
        }

        batch.Add(new BatchEntry(null, RoomEventKind.Chat, null), Node, 300, 5, "s"u8, null, "stranger"u8);

        Assert.That(batch.Count, Is.EqualTo(2), "three chats of one member are one unit");
        Assert.That(batch.Entries[0].Count, Is.EqualTo(3));
        Assert.That((string?)Run(0, batch), Is.EqualTo("1:-5"), "the stranger's chat is refused on its own");
        Assert.That((long)_db.StringGet("{room:5}:seq"), Is.EqualTo(5), "two joins, three chats");
        Assert.That(Received(3).Select(e => e.Seq), Is.EqualTo(new[] { 1L, 2, 3 }), "the joins, then the run from 3");
    }

    [Test]
    public void Batch_RepeatedJoinOrLeave_RefusedAsDuplicateAndNotSequenced()
    {
        Assert.That(Run(Event("j", 5, 100, Node), Event("j", 5, 100, Node), Event("l", 5, 100, Node), Event("g", 5, 100, Node)), Is.EqualTo("1:-2,3:-2"));
        Assert.That((long)_db.StringGet("{room:5}:seq"), Is.EqualTo(2));
    }

    [Test]
    public void Batch_EventsOfARoom_GoToTheNodesWithMembersInIt_JoinerAndLeaverIncluded()
    {
        const long other = 2;
        var otherInbox = new ConcurrentQueue<byte[]>();
        _connection.GetSubscriber().Subscribe(RedisChannel.Literal($"chatloop:inbox:{other}")).OnMessage(m => otherInbox.Enqueue((byte[])m.Message!));

        // Node 1's member joins room 5; node 2's member joins, chats and leaves; then node 1's chats.
        Assert.That(Run(Event("j", 5, 100, Node), Event("j", 5, 200, other), Event("c", 5, 200, other), Event("l", 5, 200, other), Event("c", 5, 100, Node), Event("j", 6, 300, other)), Is.Empty);

        Assert.That(Received(5).Select(e => e.Seq), Is.EqualTo(new[] { 1L, 2, 3, 4, 5 }), "node 1 follows room 5 throughout");
        var there = Decode(Wait(otherInbox));
        Assert.That(there.Select(e => (e.Ref, e.Seq)), Is.EqualTo(new[] { (5L, 2L), (5L, 3L), (5L, 4L), (6L, 1L) }), "node 2: room 5 from its join to its leave, and room 6");
        Assert.That(_db.HashGetAll("{room:5}:nodes").Select(e => ((long)e.Name, (long)e.Value)), Is.EqualTo(new[] { (Node, 1L) }));
    }

    private static (string Kind, long Ref, long JoinId, long Node) Event(string kind, long roomRef, long joinId, long node) => (kind, roomRef, joinId, node);

    private static EventBatch Batch(params (string Kind, long Ref, long JoinId, long Node)[] events)
    {
        var batch = new EventBatch();
        foreach (var (kind, roomRef, joinId, node) in events)
        {
            var eventKind = kind switch { "j" => RoomEventKind.Join, "l" => RoomEventKind.Leave, "c" => RoomEventKind.Chat, _ => RoomEventKind.Gone };
            batch.Add(new BatchEntry(null, eventKind, null), node, joinId, roomRef, "n"u8, null, eventKind == RoomEventKind.Chat ? "x"u8 : default);
        }

        return batch;
    }

    private RedisResult Run(long deadline, EventBatch batch) =>
        _db.ScriptEvaluate(ClusterScripts.PublishBatch, batch.Keys(Registered), batch.Arguments(Node, Incarnation, deadline));

    private string Run(params (string Kind, long Ref, long JoinId, long Node)[] events) => (string)Run(0, Batch(events))!;

    /// <summary>The events of node 1's inbox messages until <paramref name="count"/> have come (bounded).</summary>
    private List<(long Seq, long Ref, long JoinId)> Received(int count)
    {
        var events = new List<(long Seq, long Ref, long JoinId)>();
        while (events.Count < count)
        {
            events.AddRange(Decode(Wait(_inbox)));
        }

        return events;
    }

    private static byte[] Wait(ConcurrentQueue<byte[]> inbox)
    {
        byte[]? message = null;
        Assert.That(() => inbox.TryDequeue(out message), Is.True.After((int)Support.Wait.Long.TotalMilliseconds, 10), "an inbox message");
        return message!;
    }

    private static List<(long Seq, long Ref, long JoinId)> Decode(byte[] message)
    {
        var events = new List<(long, long, long)>();
        Assert.That(EventCodec.TryReadHeader(message, out long publisher, out var rest), Is.True);
        Assert.That(publisher, Is.EqualTo(Node));
        while (!rest.IsEmpty)
        {
            Assert.That(EventCodec.TryReadEvent(ref rest, out var e), Is.True);
            events.Add((e.Seq, e.RoomRef, e.JoinId));
        }

        return events;
    }
}
