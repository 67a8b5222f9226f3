using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>A node stopping on purpose while its clients cannot leave through Redis.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterStopTests
{
    [Test]
    public void NodeStopsBeforeItsClientsLeft_SurvivorsReapThem_AndTheirNamesAreFree()
    {
        using var cluster = new ClusterNodes(2);
        using var admin = new RedisAdmin(cluster.Redis);
        using var observer = cluster[1].Connect();
        var (r, _) = Join(observer, "exit", "observer");
        using var leaver = cluster[0].Connect();
        Join(leaver, "exit", "leaver");
        Expect(observer, Blocks.Joins(r, "leaver"));

        // Redis answers but refuses scripts, so the stopping node's leave events are never sequenced,
        // while its unregistering (plain commands) would go through.
        using (admin.RefuseScripts())
        {
            cluster[0].Server.Dispose();  // returns once the node has stopped and let go of Redis
        }

        observer.ReadExactly(Blocks.Leaves(r, "leaver"), ClusterNodes.NodeTimeout + TimeSpan.FromSeconds(5));
        using var again = cluster[1].Connect();
        Join(again, "exit", "LEAVER");
        Expect(observer, Blocks.Joins(r, "LEAVER"));
    }

    [Test]
    public void ReapFails_ItIsTriedAgainSoon()
    {
        using var cluster = new ClusterNodes(2);
        using var admin = new RedisAdmin(cluster.Redis);
        using var observer = cluster[1].Connect();
        var (r, _) = Join(observer, "retry", "observer");
        using var doomed = cluster[0].Connect();
        Join(doomed, "retry", "doomed");
        Expect(observer, Blocks.Joins(r, "doomed"));

        // Node 0 goes without its client leaving; the survivor's first reap is refused (no scripts).
        using (admin.RefuseScripts())
        {
            cluster[0].Server.Dispose();
            admin.Server.Execute("ACL", "LOG", "RESET");  // the stopping node's own refused leaving is not the reap
            admin.WaitForARefusal(ClusterNodes.NodeTimeout + TimeSpan.FromSeconds(5), "the survivor tried to reap node 0");
        }

        observer.ReadExactly(Blocks.Leaves(r, "doomed"), ClusterNodes.NodeTimeout + TimeSpan.FromSeconds(5));
    }
}
