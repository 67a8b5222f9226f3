using ChatLoop.Protocol;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>A JOIN that Redis sequenced but whose event its own node never received.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterStuckJoinTests
{
    [Test]
    public void JoinEventLostOnItsNode_TheJoinerIsClosed_AndLeavesForEveryoneElse()
    {
        using var cluster = new ClusterNodes(1);
        using var admin = new RedisAdmin(cluster.Redis);
        var server = admin.Server;
        var before = admin.PubSubClients();
        cluster.Add();
        Assert.That(admin.PubSubClients().Except(before).Count(), Is.EqualTo(1), "node 1's subscription");

        using var observer = cluster[1].Connect();
        var (r, _) = Join(observer, "haunted", "observer");

        // Node 0's subscription is cut, and Redis takes no new connection meanwhile, so the client's JOIN
        // is sequenced (node 1 delivers it) but never reaches node 0 itself.
        long connected = long.Parse(server.Info("clients").SelectMany(g => g).First(p => p.Key == "connected_clients").Value);
        server.ConfigSet("maxclients", connected - 1);
        using var joiner = cluster[0].Connect();
        try
        {
            server.Execute("CLIENT", "KILL", "ID", before.Single());
            joiner.Send(Requests.Join("haunted", "ghost"));
            observer.ReadExactly(Blocks.Joins(r, "ghost"), Wait.Long);
        }
        finally
        {
            server.ConfigSet("maxclients", 10_000);
        }

        joiner.ReadError((ErrorCode)12, TimeSpan.FromSeconds(15));
        joiner.ExpectClosed(allowReset: true);
        observer.ReadExactly(Blocks.Leaves(r, "ghost"), Wait.Long);

        using var again = cluster[1].Connect();
        Join(again, "haunted", "ghost");
        Expect(observer, Blocks.Joins(r, "ghost"));
    }
}
