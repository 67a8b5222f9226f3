using ChatLoop.Protocol;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Cluster;

/// <summary>
/// A node just started whose Redis pauses: its clients get ERROR blocks like anyone's, never a reset (it used to
/// listen before it had joined the cluster, and a pause then made it exit under its first clients).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterYoungNodeTests
{
    [Test]
    public void NodeSecondsOld_RedisPauses_JoinGetsError12_ConnectionStaysOpen()
    {
        using var redis = RedisProcess.Start();
        using var node = new NodeProcess(redis, TimeSpan.FromSeconds(10));  // a new epoch: it waits ~2 s while joining
        using var client = node.Connect();
        redis.Pause();
        try
        {
            client.Send(Requests.Join("young", "early"));
            client.ReadError((ErrorCode)12, TimeSpan.FromSeconds(5));
            client.Send(Requests.Helo("still there"));
            Assert.That(client.ReadBlock().Kind, Is.EqualTo(ResponseKind.Helo), "the connection stays open");
        }
        finally
        {
            redis.Resume();
        }
    }
}
