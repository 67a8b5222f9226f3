using ChatLoop.Tests.Support;
using StackExchange.Redis;
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
        using var admin = ConnectionMultiplexer.Connect(cluster.Redis.Config + ",allowAdmin=true,configChannel=");
        var server = admin.GetServer(cluster.Redis.Config);
        using var observer = cluster[1].Connect();
        var (r, _) = Join(observer, "exit", "observer");
        using var leaver = cluster[0].Connect();
        Join(leaver, "exit", "leaver");
        Expect(observer, Blocks.Joins(r, "leaver"));

        // Redis answers but refuses scripts, so the stopping node's leave events are never sequenced,
        // while its unregistering (plain commands) would go through.
        server.Execute("ACL", "SETUSER", "default", "-eval", "-evalsha");
        try
        {
            cluster[0].Server.Dispose();  // returns once the node has stopped and let go of Redis
        }
        finally
        {
            server.Execute("ACL", "SETUSER", "default", "+eval", "+evalsha");
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
        using var admin = ConnectionMultiplexer.Connect(cluster.Redis.Config + ",allowAdmin=true,configChannel=");
        var server = admin.GetServer(cluster.Redis.Config);
        using var observer = cluster[1].Connect();
        var (r, _) = Join(observer, "retry", "observer");
        using var doomed = cluster[0].Connect();
        Join(doomed, "retry", "doomed");
        Expect(observer, Blocks.Joins(r, "doomed"));

        // Node 0 goes without its client leaving; the survivor's first reap is refused (no scripts).
        server.Execute("ACL", "SETUSER", "default", "-eval", "-evalsha");
        try
        {
            cluster[0].Server.Dispose();
            server.Execute("ACL", "LOG", "RESET");
            var deadline = DateTime.UtcNow + ClusterNodes.NodeTimeout + TimeSpan.FromSeconds(5);
            while (((RedisResult[])server.Execute("ACL", "LOG")!).Length == 0)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the survivor tried to reap node 0");
                Thread.Sleep(20);  // polls Redis's ACL log for the refused reap; bounded by the deadline
            }
        }
        finally
        {
            server.Execute("ACL", "SETUSER", "default", "+eval", "+evalsha");
        }

        observer.ReadExactly(Blocks.Leaves(r, "doomed"), ClusterNodes.NodeTimeout + TimeSpan.FromSeconds(5));
    }
}
