using ChatLoop.Protocol;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>Restarts are gaps (CLUSTER.md "At scale" 6): events lost with Redis's data are told to the clients they concern, never silence.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterRestartGapTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(15);

    [Test]
    public void RedisRestartedEmpty_AnEventOneNodeNeverGot_ItsMembersGetError12_TheSequenceDoesNotStartAgain()
    {
        using var cluster = new ClusterNodes(1);
        using var admin = new RedisAdmin(cluster.Redis);
        var before = admin.PubSubClients();
        cluster.Add();
        var subscription = admin.PubSubClients().Except(before).Single();
        using var a = cluster[0].Connect();
        using var b = cluster[1].Connect();
        var (r, idA) = Join(a, "flight", "a");
        Join(b, "flight", "b");
        Expect(a, Blocks.Joins(r, "b"));

        // Node 1's subscription is cut and cannot come back (Redis takes no new connection): the chat is
        // sequenced and reaches node 0, never node 1. Then Redis restarts empty, with it the chat's number.
        long connected = long.Parse(admin.Server.Info("clients").SelectMany(g => g).First(p => p.Key == "connected_clients").Value);
        admin.Server.ConfigSet("maxclients", connected - 1);
        admin.Server.Execute("CLIENT", "KILL", "ID", subscription);
        a.Send(Requests.Chat(r, idA, "a", "in flight"));
        Expect(a, Blocks.Chat(r, "a", "in flight"));
        cluster.Redis.RestartEmpty();

        Assert.That(ChatWhenUp(a, r, idA, "a", "after the restart", Recovery), Is.True, "service resumed by itself");
        var first = b.ReadBlock(Recovery);
        Assert.That(first.GetNumber("ERROR_CODE"), Is.EqualTo(12), $"b missed 'in flight' and must be told, not get {TestClient.Show(first)}");
        var rest = TestClient.Show(b.ReadToEnd(Wait.Long, allowReset: true));
        Assert.That(rest, Does.Not.Contain("in flight"), "the lost chat is not delivered late either");
    }
}
