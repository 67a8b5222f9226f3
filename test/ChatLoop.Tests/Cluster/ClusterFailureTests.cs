using ChatLoop.Protocol;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>What the cluster survives (CLUSTER.md): a dead node, a paused Redis, a Redis that lost its data.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterFailureTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(15);

    [Test]
    public void NodeKilled_ItsMembersLeaveOnceOnSurvivors_AndTheirNamesAreFree()
    {
        using var cluster = new ClusterNodes(1);
        using var doomed = new NodeProcess(cluster.Redis, ClusterNodes.NodeTimeout);
        using var s1 = cluster[0].Connect();
        using var s2 = cluster[0].Connect();
        var r1 = Join(s1, "k1", "s1").Ref;
        var r2 = Join(s1, "k2", "s1").Ref;
        Join(s2, "k1", "s2");
        Expect(s1, Blocks.Joins(r1, "s2"));

        using var victim = doomed.Connect();
        Join(victim, "k2", "victim");
        Join(victim, "k1", "victim");
        Expect(s1, Blocks.Joins(r2, "victim"));
        Expect(s1, Blocks.Joins(r1, "victim"));
        Expect(s2, Blocks.Joins(r1, "victim"));

        doomed.KillHard();
        var within = ClusterNodes.NodeTimeout + TimeSpan.FromSeconds(5);
        s1.ReadExactly(Blocks.Leaves(Math.Min(r1, r2), "victim"), within);
        s1.ReadExactly(Blocks.Leaves(Math.Max(r1, r2), "victim"), within);
        s2.ReadExactly(Blocks.Leaves(r1, "victim"), within);
        s1.ExpectNothing(TimeSpan.FromSeconds(1));
        s2.ExpectNothing();

        using var again = cluster[0].Connect();
        Join(again, "k1", "VICTIM");
    }

    [Test]
    public void NodeFrozenPastTimeout_SurvivorsSeeItsMembersLeave_ItsClientsAreClosedWhenItThaws()
    {
        using var cluster = new ClusterNodes(1);
        using var frozen = new NodeProcess(cluster.Redis, ClusterNodes.NodeTimeout);
        using var survivor = cluster[0].Connect();
        var (r, _) = Join(survivor, "ice", "survivor");
        using var stuck = frozen.Connect();
        Join(stuck, "ice", "stuck");
        Expect(survivor, Blocks.Joins(r, "stuck"));

        frozen.Freeze();
        try
        {
            survivor.ReadExactly(Blocks.Leaves(r, "stuck"), ClusterNodes.NodeTimeout + TimeSpan.FromSeconds(5));
        }
        finally
        {
            frozen.Thaw();
        }

        stuck.ReadError((ErrorCode)12, TimeSpan.FromSeconds(10));
        stuck.ExpectClosed(allowReset: true);
        survivor.ExpectNothing(TimeSpan.FromSeconds(1));
    }

    [Test]
    public void RedisPaused_RequestsGetError12_OtherRequestsAnswered_ThenServiceResumesWithoutTheRefused()
    {
        using var cluster = new ClusterNodes(2);
        using var a = cluster[0].Connect();
        using var b = cluster[1].Connect();
        var (r, idA) = Join(a, "hold", "a");
        var (_, idB) = Join(b, "hold", "b");
        Expect(a, Blocks.Joins(r, "b"));

        cluster.Redis.Pause();
        try
        {
            a.Send(Requests.Chat(r, idA, "a", "refused"));
            a.ReadError((ErrorCode)12, TimeSpan.FromSeconds(5));
            a.Send(Requests.Helo("still there"));
            Assert.That(a.ReadBlock().Kind, Is.EqualTo(ResponseKind.Helo));
            b.Send(Requests.Leave(r, idB, "b"));
            b.ReadError((ErrorCode)12, TimeSpan.FromSeconds(5));
            using var late = cluster[1].Connect();
            late.Send(Requests.Join("hold", "late"));
            late.ReadError((ErrorCode)12, TimeSpan.FromSeconds(5));

            // Paused past every liveness key's TTL: when Redis resumes they all expire at once.
            Thread.Sleep(ClusterNodes.NodeTimeout);  // the length of the outage is the scenario, not a wait for an event
        }
        finally
        {
            cluster.Redis.Resume();
        }

        Assert.That(ChatWhenUp(a, r, idA, "a", "after", Recovery), Is.True, "service resumed by itself");
        var next = b.ReadBlock();
        Assert.That(next.Message, Is.EqualTo("after"), "b's next block is the chat after the outage: the refused chat was never delivered, b's refused LEAVE left nothing half done, and nobody was reaped");
        b.ExpectNothing(TimeSpan.FromSeconds(1));
    }

    [Test]
    public void RedisRestartedEmpty_NodesRegisterAgain_ClientsKeepRefsAndJoinIds()
    {
        using var cluster = new ClusterNodes(2);
        using var a = cluster[0].Connect();
        using var b = cluster[1].Connect();
        var (r0, idA) = Join(a, "keep", "a");
        var (_, idB) = Join(b, "keep", "b");
        Expect(a, Blocks.Joins(r0, "b"));
        var r1 = Join(b, "keep2", "b").Ref;

        cluster.Redis.RestartEmpty();

        Assert.That(ChatWhenUp(a, r0, idA, "a", "still here", Recovery), Is.True, "service resumed by itself");
        Expect(b, Blocks.Chat(r0, "a", "still here"));
        var (r2, _) = JoinWhenUp(b, "brand-new", "b", Recovery);
        Assert.That(r2, Is.GreaterThan(Math.Max(r0, r1)), "the ref counter moved past the refs the nodes hold");

        using var c = cluster[1].Connect();
        var (rc, idC) = JoinWhenUp(c, "keep", "c", Recovery);
        Assert.That(rc, Is.EqualTo(r0));
        Assert.That(idC, Is.Not.EqualTo(idA).And.Not.EqualTo(idB));
        Expect(a, Blocks.Joins(r0, "c"));
        Expect(b, Blocks.Joins(r0, "c"));

        using var d = cluster[0].Connect();
        d.Send(Requests.Join("keep", "A"));
        d.ReadError(ErrorCode.InvalidName);
    }

    [Test]
    public void RedisRestartedEmpty_ANodeStartsBeforeTheOthersRegisterAgain_NoIdIsShared()
    {
        using var cluster = new ClusterNodes(1);
        using var a = cluster[0].Connect();
        var (r, idA) = Join(a, "early", "a");

        cluster.Redis.RestartEmpty();
        var late = cluster.Add();

        Assert.That(late.Server.Cluster!.NodeId, Is.Not.EqualTo(cluster[0].Server.Cluster!.NodeId), "the new node did not take the live node's id");
        using var c = late.Connect();
        var (rc, idC) = JoinWhenUp(c, "early", "c", Recovery);
        Assert.That(idC, Is.Not.EqualTo(idA), "JOIN_IDs are not handed out again");
        Assert.That(rc, Is.EqualTo(r), "the old node registered its room again before the new one served");
        Expect(a, Blocks.Joins(r, "c"));
        Assert.That(ChatWhenUp(a, r, idA, "a", "both here", Recovery), Is.True, "the old node serves again");
        Expect(c, Blocks.Chat(r, "a", "both here"));
    }
}
