using System.Diagnostics;
using System.Net.Sockets;
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
    public void NodeSecondsOld_ClientConnectedAsEarlyAsItCan_RedisPauses_JoinGetsError12_ConnectionStaysOpen()
    {
        using var redis = RedisProcess.Start();
        int port = RedisProcess.FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "ChatLoop.Server.dll");

        // A new epoch: the node waits about 2 s while it joins the cluster.
        using var node = Process.Start(new ProcessStartInfo("dotnet", [dll, port.ToString(), "--bind", "127.0.0.1", "--redis", redis.Config, "--log-level", "warn"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            _ = node.StandardOutput.ReadToEndAsync();
            _ = node.StandardError.ReadToEndAsync();

            // The first moment the node takes a connection, not the moment it says it listens.
            TestClient client = null!;
            Wait.Until(
                () =>
                {
                    try
                    {
                        client = TestClient.Connect(port);
                        return true;
                    }
                    catch (SocketException)
                    {
                        Assert.That(node.HasExited, Is.False, "the node exited at start");
                        return false;
                    }
                },
                "the node never took a connection",
                TimeSpan.FromSeconds(20),
                TimeSpan.FromMilliseconds(10));

            using (client)
            {
                redis.Pause();
                try
                {
                    client.Send(Requests.Join("young", "early"));
                    client.ReadError((ErrorCode)12, TimeSpan.FromSeconds(10));
                    client.Send(Requests.Helo("still there"));
                    Assert.That(client.ReadBlock().Kind, Is.EqualTo(ResponseKind.Helo), "the connection stays open");
                }
                finally
                {
                    redis.Resume();
                }
            }
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill();
                node.WaitForExit();
            }
        }
    }
}
