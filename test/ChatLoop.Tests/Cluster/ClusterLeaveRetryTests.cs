using ChatLoop.Tests.Support;
using StackExchange.Redis;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>A DISCONNECT whose leave events Redis refused at first.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterLeaveRetryTests
{
    [Test]
    public void GoneRefusedThenTaken_LeaveNoticesStillInAscendingRefOrder()
    {
        using var cluster = new ClusterNodes(2);
        using var admin = ConnectionMultiplexer.Connect(cluster.Redis.Config + ",allowAdmin=true,configChannel=");
        var server = admin.GetServer(cluster.Redis.Config);
        using var observer = cluster[1].Connect();
        long[] refs = [.. new[] { "r1", "r2", "r3" }.Select(room => Join(observer, room, "observer").Ref)];
        using var leaver = cluster[0].Connect();
        foreach (var (room, r) in new[] { "r3", "r1", "r2" }.Select(room => (room, refs[int.Parse(room[1..]) - 1])))
        {
            Join(leaver, room, "leaver");
            Expect(observer, Blocks.Joins(r, "leaver"));
        }

        server.Execute("ACL", "SETUSER", "default", "-eval", "-evalsha");
        try
        {
            server.Execute("ACL", "LOG", "RESET");
            leaver.Send(Requests.Disconnect("leaver"));
            var deadline = DateTime.UtcNow + Wait.Long;
            while (((RedisResult[])server.Execute("ACL", "LOG")!).Length == 0)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the node tried to publish the leaving");
                Thread.Sleep(20);  // polls Redis's ACL log for the refused events; bounded by the deadline
            }
        }
        finally
        {
            server.Execute("ACL", "SETUSER", "default", "+eval", "+evalsha");
        }

        foreach (long r in refs.Order())
        {
            observer.ReadExactly(Blocks.Leaves(r, "leaver"), Wait.Long);
        }

        observer.ExpectNothing();
    }
}
