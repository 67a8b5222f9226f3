using ChatLoop.Tests.Support;
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
        using var admin = new RedisAdmin(cluster.Redis);
        using var observer = cluster[1].Connect();
        long[] refs = [.. new[] { "r1", "r2", "r3" }.Select(room => Join(observer, room, "observer").Ref)];
        using var leaver = cluster[0].Connect();
        foreach (var (room, r) in new[] { "r3", "r1", "r2" }.Select(room => (room, refs[int.Parse(room[1..]) - 1])))
        {
            Join(leaver, room, "leaver");
            Expect(observer, Blocks.Joins(r, "leaver"));
        }

        using (admin.RefuseScripts())
        {
            leaver.Send(Requests.Disconnect("leaver"));
            admin.WaitForARefusal(Wait.Long, "the node tried to publish the leaving");
        }

        foreach (long r in refs.Order())
        {
            observer.ReadExactly(Blocks.Leaves(r, "leaver"), Wait.Long);
        }

        observer.ExpectNothing();
    }
}
