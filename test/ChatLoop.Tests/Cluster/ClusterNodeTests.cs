using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Cluster;
using ChatLoop.Server.Sequencing;
using ChatLoop.Tests.Support;
using StackExchange.Redis;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>What is about one node: STATS, KILL_SERVICE, and a node that missed events.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterNodeTests
{
    [Test]
    public void Stats_ClusterNode_ReportsTheClusterKeys()
    {
        using var cluster = new ClusterNodes(2);
        using var a = cluster[0].Connect();
        var (r, id) = Join(a, "s", "a");
        a.Send(Requests.Chat(r, id, "a", "one"));
        a.ReadBlock();

        // The liveness check counts the other node within an interval or two; the publish count follows
        // the script's reply, which may come a moment after the chat itself.
        Response stats = null!;
        Wait.TryUntil(
            () =>
            {
                a.Send("STATS\n");
                stats = a.ReadBlock();
                return stats.GetNumber("CLUSTER_NODES") == 2 && stats.GetNumber("EVENTS_PUBLISHED") == 2;
            },
            Wait.Long,
            TimeSpan.FromMilliseconds(100));

        Assert.That(stats.GetNumber("CLUSTER_NODES"), Is.EqualTo(2));
        Assert.That(stats.Get("CLUSTER_STATE"), Is.EqualTo("up"));
        Assert.That(stats.GetNumber("EVENTS_PUBLISHED"), Is.EqualTo(2), "its join and its chat");
        Assert.That(stats.GetNumber("EVENTS_APPLIED"), Is.EqualTo(2));
        Assert.That(stats.GetNumber("EVENT_GAPS"), Is.EqualTo(0));
        Assert.That(stats.GetNumber("NODES_REAPED"), Is.EqualTo(0));
    }

    [Test]
    public void Stats_SingleNode_HasNoClusterKeys()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        a.Send("STATS\n");
        var stats = a.ReadBlock();
        Assert.That(stats.Get("CLIENTS"), Is.Not.Null);
        Assert.That(stats.Get("CLUSTER_STATE"), Is.Null);
        Assert.That(stats.Get("EVENTS_APPLIED"), Is.Null);
    }

    [Test]
    public void KillService_OnOneNode_StopsThatNodeOnly_ItsClientsLeave()
    {
        using var cluster = new ClusterNodes(2);
        using var stayer = cluster[1].Connect();
        var (r, id) = Join(stayer, "k", "stayer");
        using var killer = cluster[0].Connect();
        Join(killer, "k", "killer");
        Expect(stayer, Blocks.Joins(r, "killer"));

        killer.Send(Requests.KillService);
        Assert.That(cluster[0].Server.WaitForExit(Wait.Long), Is.True, "the node that got KILL_SERVICE stopped");
        Expect(stayer, Blocks.Leaves(r, "killer"));
        stayer.Send(Requests.Chat(r, id, "stayer", "still up"));
        Expect(stayer, Blocks.Chat(r, "stayer", "still up"));
    }

    [Test]
    public void Gap_NodeMissesAnEventOfARoom_ItsMembersGetError12AndAreClosed()
    {
        using var cluster = new ClusterNodes(1);
        using var a = cluster[0].Connect();
        var (r, id) = Join(a, "gappy", "a");
        using var outsider = cluster[0].Connect();
        var (other, _) = Join(outsider, "calm", "outsider");

        // An event stamped two past the room's last number: the one between never reached this node.
        using var redis = ConnectionMultiplexer.Connect(cluster.Redis.Config);
        var piece = EventCodec.Piece(RoomEventKind.Chat, 999, 999, r, "ghost"u8, default, "skipped one"u8);
        redis.GetSubscriber().Publish(
            RedisChannel.Literal($"chatloop:inbox:{cluster[0].Server.Cluster!.NodeId}"),
            EventCodecTests.Message(999, (3, piece)));

        a.ReadError((ErrorCode)12);
        a.ExpectClosed();
        outsider.ExpectNothing();
        Assert.That(other, Is.Not.EqualTo(r));
    }

    [Test]
    public void SubscriptionDropped_AnEventPublishedMeanwhile_RoomMembersGetError12AndAreClosed()
    {
        using var cluster = new ClusterNodes(1);
        using var a = cluster[0].Connect();
        var (r, id) = Join(a, "dropped", "a");

        // Cut the node's subscription and, in the same pipeline, sequence an event it therefore never
        // receives; no later event follows in the room, so only the check after resubscribing can see it.
        using var redis = ConnectionMultiplexer.Connect(cluster.Redis.Config + ",allowAdmin=true");
        var db = redis.GetDatabase();
        long node = cluster[0].Server.Cluster!.NodeId;
        var registered = ClusterKeys.Registered(node);
        string incarnation = db.StringGet(registered)!;
        var batch = new EventBatch();
        batch.Add(new BatchEntry(null, RoomEventKind.Chat, null), node, id, r, "a"u8, null, "lost"u8);
        var kill = db.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        var publish = db.ScriptEvaluateAsync(ClusterScripts.PublishBatch, batch.Keys(registered), batch.Arguments(node, incarnation, 0));
        Assert.That((long)kill.Result, Is.GreaterThanOrEqualTo(1), "the node's subscription connection was cut (and this multiplexer's own)");
        Assert.That((string?)publish.Result, Is.Empty, "the chat was taken");
        Assert.That((long)db.StringGet(ClusterKeys.RoomSeq(r)), Is.EqualTo(2), "the chat was sequenced after the join");

        a.ReadError((ErrorCode)12, TimeSpan.FromSeconds(10));
        a.ExpectClosed();
    }

    [Test]
    public void RoomSequences_FollowedOnlyWhileARoomHasLocalMembers()
    {
        using var cluster = new ClusterNodes(2);
        using var here = cluster[0].Connect();
        using var there = cluster[1].Connect();
        var (elsewhere, idE) = Join(there, "elsewhere", "there");
        var (sync, idHere) = Join(here, "sync", "here");
        var (_, idThere) = Join(there, "sync", "there");
        Expect(here, Blocks.Joins(sync, "there"));

        // Redis delivers one subscriber's messages in publish order: once "here" has the chat in sync,
        // its node has applied the chat in elsewhere, a room it has no member in.
        there.Send(Requests.Chat(elsewhere, idE, "there", "not for node 0"));
        Expect(there, Blocks.Chat(elsewhere, "there", "not for node 0"));
        there.Send(Requests.Chat(sync, idThere, "there", "marker"));
        Expect(here, Blocks.Chat(sync, "there", "marker"));
        Expect(there, Blocks.Chat(sync, "there", "marker"));
        Assert.That(cluster[0].Server.Cluster!.TrackedRooms, Is.EqualTo(1), "node 0 follows only sync, where it has a member");

        here.Send(Requests.Leave(sync, idHere, "here"));
        Expect(here, Blocks.Left(sync, idHere));
        Expect(here, Blocks.Leaves(sync, "here"));
        Assert.That(cluster[0].Server.Cluster!.TrackedRooms, Is.Zero, "its last local member left");

        // Joining again starts afresh: later events are checked, not taken for a gap.
        Join(here, "sync", "here");
        Expect(there, Blocks.Leaves(sync, "here"));
        Expect(there, Blocks.Joins(sync, "here"));
        there.Send(Requests.Chat(sync, idThere, "there", "back"));
        Expect(here, Blocks.Chat(sync, "there", "back"));
        Assert.That(cluster[0].Server.Cluster!.TrackedRooms, Is.EqualTo(1));
    }
}
