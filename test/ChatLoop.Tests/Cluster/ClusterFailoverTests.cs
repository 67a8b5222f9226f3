using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>Redis with a replica and a Sentinel (CLUSTER.md "At scale" 6 and 7): a failover is a gap, survived, and nothing is handed out twice.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterFailoverTests
{
    /// <summary>
    /// Sentinel's failover and the nodes registering again take 3-10 s here; Sentinel aborts an attempt now
    /// and then (the replica was frozen a moment before) and retries: the bound leaves room for that.
    /// </summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    [Test]
    public void Failover_ReplicaMissedTheLastWrites_ServiceBack_NoRefOrJoinIdHandedOutTwice()
    {
        using var redis = new RedisSentinelSet();
        var settings = ClusterNodes.SettingsFor(redis.Config);
        using var node0 = new TestServer(settings);
        using var node1 = new TestServer(settings);
        using var node2 = new TestServer(settings);
        using var a = node0.Connect();
        using var b = node1.Connect();
        using var c = node2.Connect();
        var (r0, idA) = Join(a, "before", "a");
        var (_, idB) = Join(b, "before", "b");
        Expect(a, Blocks.Joins(r0, "b"));
        redis.WaitReplicaInSync(Wait.Long);

        // The replica misses what follows: a new room (and its ref), and node 2's first block of JOIN_IDs.
        redis.CutOffReplica();
        var (rLost, _) = Join(a, "lost", "a");
        var (_, idC) = Join(c, "before", "c");
        Expect(a, Blocks.Joins(r0, "c"));
        Expect(b, Blocks.Joins(r0, "c"));
        redis.Primary.KillHard();
        redis.Replica.Resume();
        redis.WaitForFailover(Recovery);

        // Service comes back by itself: a JOIN, asked again while the cluster answers ERROR 12 (a JOIN that
        // Redis took although its answer came too late is found already made: no second notice).
        using var probe = node0.Connect();
        JoinWhenUp(probe, "before", "probe", Recovery);
        Expect(a, Blocks.Joins(r0, "probe"));
        Expect(b, Blocks.Joins(r0, "probe"));
        Expect(c, Blocks.Joins(r0, "probe"));
        a.Send(Requests.Chat(r0, idA, "a", "after the failover"));
        foreach (var member in new[] { a, b, c, probe })
        {
            Expect(member, Blocks.Chat(r0, "a", "after the failover"));
        }

        // Node 1 never saw the lost room: its next new room must not get that room's ref.
        using var d = node1.Connect();
        var (rNew, idD) = JoinWhenUp(d, "fresh", "d", Recovery);
        Assert.That(rNew, Is.Not.EqualTo(r0).And.Not.EqualTo(rLost), "two rooms share a ROOM_REF");
        var (rAgain, _) = JoinWhenUp(d, "lost", "d", Recovery);
        Assert.That(rAgain, Is.EqualTo(rLost), "the lost room keeps its ref on every node");
        Expect(a, Blocks.Joins(rLost, "d"));

        // A node started from the command line with the Sentinel configuration, as operators would.
        using var late = new NodeProcess(redis.Config, ClusterNodes.NodeTimeout);
        using var e = late.Connect();
        var (_, idE) = JoinWhenUp(e, "before", "e", Recovery);
        Assert.That(new[] { idA, idB, idC, idD, idE }, Is.Unique, "a JOIN_ID handed out twice");
    }
}
