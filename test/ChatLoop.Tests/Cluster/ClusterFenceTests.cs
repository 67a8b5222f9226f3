using ChatLoop.Protocol;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>Fences and leases (CLUSTER.md "At scale" 4 and 5): a reaped node's events never reach a room, a refused claim is never kept.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterFenceTests
{
    [Test]
    public void NodeFrozenPastTimeout_AChatSentDuringTheFreeze_NeverDeliveredAfterItsSendersLeave()
    {
        using var cluster = new ClusterNodes(1);
        using var frozen = new NodeProcess(cluster.Redis, ClusterNodes.NodeTimeout);
        using var survivor = cluster[0].Connect();
        var (r, _) = Join(survivor, "thaw", "survivor");
        using var stuck = frozen.Connect();
        var (_, idStuck) = Join(stuck, "thaw", "stuck");
        Expect(survivor, Blocks.Joins(r, "stuck"));

        frozen.Freeze();
        try
        {
            // Waits in the frozen node's socket: it reads it first thing when it thaws.
            stuck.Send(Requests.Chat(r, idStuck, "stuck", "sent while frozen"));
            survivor.ReadExactly(Blocks.Leaves(r, "stuck"), ClusterNodes.NodeTimeout + TimeSpan.FromSeconds(5));
        }
        finally
        {
            frozen.Thaw();
        }

        // The thawed node's client is told (ERROR 12, whatever it was doing) and closed; its chat is refused.
        stuck.ReadError((ErrorCode)12, TimeSpan.FromSeconds(10));
        var rest = TestClient.Show(stuck.ReadToEnd(TimeSpan.FromSeconds(10), allowReset: true));
        Assert.That(rest, Does.Not.Contain("sent while frozen"), "the stuck client's own chat never came back either");

        survivor.ExpectNothing(TimeSpan.FromSeconds(2));
    }

    [Test]
    public void JoinRefusedWhileRedisPaused_TheNameIsFreeAgainWithinTheNodeTimeout()
    {
        using var cluster = new ClusterNodes(2);
        using (var refused = cluster[0].Connect())
        {
            cluster.Redis.Pause();
            try
            {
                refused.Send(Requests.Join("lease", "fleeting"));
                refused.ReadError((ErrorCode)12, TimeSpan.FromSeconds(5));
            }
            finally
            {
                cluster.Redis.Resume();
            }
        }

        // The refused claim may have run when Redis resumed; it must not keep the name.
        using var later = cluster[1].Connect();
        Response? lastRefusal = null;
        Wait.Until(
            () =>
            {
                later.Send(Requests.Join("lease", "fleeting"));
                var block = later.ReadBlock(TimeSpan.FromSeconds(5));
                if (block.Kind == ResponseKind.Joined)
                {
                    return true;
                }

                Assert.That(block.GetNumber("ERROR_CODE"), Is.EqualTo(6).Or.EqualTo(12), TestClient.Show(block));
                lastRefusal = block;
                return false;
            },
            () => $"the name is still taken: {TestClient.Show(lastRefusal!)}",
            ClusterNodes.NodeTimeout,
            TimeSpan.FromMilliseconds(100));
    }
}
