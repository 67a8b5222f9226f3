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
            TestClient? client = null;
            var deadline = Stopwatch.GetTimestamp() + (20 * Stopwatch.Frequency);
            while (client is null)
            {
                try
                {
                    client = TestClient.Connect(port);
                }
                catch (SocketException)
                {
                    Assert.That(node.HasExited, Is.False, "the node exited at start");
                    Assert.That(Stopwatch.GetTimestamp(), Is.LessThan(deadline), "the node never took a connection");
                    Thread.Sleep(10);  // connect attempts paced until the port accepts; bounded by the deadline
                }
            }

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
