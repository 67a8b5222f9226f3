using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Tests.Support;
using StackExchange.Redis;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>A node hears only the rooms it serves, and a tick's events reach Redis together (CLUSTER.md "At scale").</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterRoutingTests
{
    [Test]
    public void Chat_RoomWithNoMemberOnANode_NoneOfItsEventsReachThatNode()
    {
        using var cluster = new ClusterNodes(2);
        using var here = cluster[0].Connect();
        using var there = cluster[1].Connect();
        var (elsewhere, idE) = Join(there, "elsewhere", "there");
        var (shared, _) = Join(here, "shared", "here");
        var (_, idThere) = Join(there, "shared", "there");
        Expect(here, Blocks.Joins(shared, "there"));
        long before = Applied(here);

        const int chats = 20;
        for (int k = 0; k < chats; k++)
        {
            there.Send(Requests.Chat(elsewhere, idE, "there", $"not for node 0: {k}"));
            Expect(there, Blocks.Chat(elsewhere, "there", $"not for node 0: {k}"));
        }

        // Node 0's one inbox delivers in Redis's order: once "here" has the marker, anything of
        // "elsewhere" routed to node 0 before it would have been applied too.
        there.Send(Requests.Chat(shared, idThere, "there", "marker"));
        Expect(here, Blocks.Chat(shared, "there", "marker"));
        Expect(there, Blocks.Chat(shared, "there", "marker"));

        Assert.That(Applied(here) - before, Is.EqualTo(1), "node 0 applied the marker only, none of the other room's chats");
        Assert.That(Applied(there), Is.EqualTo(chats + 3), "node 1: its join of elsewhere, the chats, its join of shared (the earlier join was before it followed), the marker");
        here.ExpectNothing();
    }

    [Test]
    public void Followers_JoinAndLeave_CountedPerNodeInRedis()
    {
        using var cluster = new ClusterNodes(2);
        using var redis = ConnectionMultiplexer.Connect(cluster.Redis.Config);
        var db = redis.GetDatabase();
        long node0 = cluster[0].Server.Cluster!.NodeId, node1 = cluster[1].Server.Cluster!.NodeId;
        using var a = cluster[0].Connect();
        using var b = cluster[0].Connect();
        using var c = cluster[1].Connect();
        var (r, idA) = Join(a, "counted", "a");
        Join(b, "counted", "b");
        Expect(a, Blocks.Joins(r, "b"));
        Join(c, "counted", "c");
        Expect(a, Blocks.Joins(r, "c"));
        Expect(b, Blocks.Joins(r, "c"));

        Assert.That(Followers(db, r), Is.EqualTo(new Dictionary<long, long> { [node0] = 2, [node1] = 1 }));

        a.Send(Requests.Leave(r, idA, "a"));
        Expect(a, Blocks.Left(r, idA));
        Expect(a, Blocks.Leaves(r, "a"));
        c.Dispose();
        Expect(b, Blocks.Leaves(r, "a"));
        Expect(b, Blocks.Leaves(r, "c"));

        Assert.That(Followers(db, r), Is.EqualTo(new Dictionary<long, long> { [node0] = 1 }), "node 1 has no member left: it no longer follows the room");
    }

    [Test]
    public void Chat_ManyInOneRead_OneScriptRun()
    {
        using var cluster = new ClusterNodes(2);
        using var admin = new RedisAdmin(cluster.Redis);
        using var a = cluster[0].Connect();
        using var b = cluster[1].Connect();
        var (r, id) = Join(a, "burst", "a");
        Join(b, "burst", "b");
        Expect(a, Blocks.Joins(r, "b"));

        const int chats = 50;
        var burst = new StringBuilder();
        for (int k = 0; k < chats; k++)
        {
            burst.Append(Requests.Chat(r, id, "a", $"m{k}"));
        }

        long before = ScriptRuns(admin);
        a.Send(burst.ToString());  // one write: the node reads it in one tick
        for (int k = 0; k < chats; k++)
        {
            Expect(b, Blocks.Chat(r, "a", $"m{k}"));
        }

        long runs = ScriptRuns(admin) - before;
        Assert.That(runs, Is.GreaterThanOrEqualTo(1));
        Assert.That(runs, Is.LessThanOrEqualTo(3), $"{chats} chats read together went to Redis in {runs} script runs (one per tick, not one per chat)");
    }

    [Test]
    public void Disconnect_RoomsFollowedByDifferentNodes_EachNodeSeesItsLeavesInAscendingRefs()
    {
        using var cluster = new ClusterNodes(3);
        using var leaver = cluster[0].Connect();
        using var odd = cluster[1].Connect();
        using var even = cluster[2].Connect();
        var refs = new List<long>();
        for (int i = 0; i < 6; i++)
        {
            var stayer = i % 2 == 0 ? even : odd;
            string name = i % 2 == 0 ? "even" : "odd";
            long r = Join(stayer, $"room-{i}", name).Ref;
            refs.Add(r);
            Join(leaver, $"room-{i}", "leaver");
            Expect(stayer, Blocks.Joins(r, "leaver"));
        }

        // Node 2 also follows room 1 through a second member: it sees that leave between its own rooms'.
        using var extra = cluster[2].Connect();
        Join(extra, "room-1", "extra");
        Expect(odd, Blocks.Joins(refs[1], "extra"));
        Expect(leaver, Blocks.Joins(refs[1], "extra"));

        leaver.Send(Requests.Disconnect("leaver"));
        foreach (var r in refs.Order())
        {
            Expect(leaver, Blocks.Leaves(r, "leaver"));
        }

        foreach (var r in refs.Where((_, i) => i % 2 == 1).Order())
        {
            Expect(odd, Blocks.Leaves(r, "leaver"));
        }

        foreach (var r in refs.Where((_, i) => i % 2 == 0).Order())
        {
            Expect(even, Blocks.Leaves(r, "leaver"));
        }

        Expect(extra, Blocks.Leaves(refs[1], "leaver"));
        leaver.ExpectClosed();
        odd.ExpectNothing();
        even.ExpectNothing();
        extra.ExpectNothing();
    }

    private static long Applied(TestClient c)
    {
        c.Send("STATS\n");
        var stats = c.ReadBlock();
        Assert.That(stats.GetNumber("EVENTS_APPLIED"), Is.Not.Null, TestClient.Show(stats));
        return stats.GetNumber("EVENTS_APPLIED")!.Value;
    }

    private static Dictionary<long, long> Followers(IDatabase db, long roomRef) =>
        db.HashGetAll($"{{room:{roomRef}}}:nodes").ToDictionary(e => (long)e.Name, e => (long)e.Value);

    /// <summary>Script runs Redis has served (EVAL and EVALSHA), from INFO commandstats.</summary>
    private static long ScriptRuns(RedisAdmin admin)
    {
        long runs = 0;
        foreach (var group in admin.Server.Info("commandstats"))
        {
            foreach (var entry in group)
            {
                if (entry.Key is "cmdstat_eval" or "cmdstat_evalsha")
                {
                    runs += long.Parse(entry.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return runs;
    }
}
