using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Cluster;

/// <summary>A start that fails (Redis unreachable) leaves nothing open behind it: no listener, poller or wake-up sockets.</summary>
[NonParallelizable]
public sealed class FailedStartTests
{
    [Test]
    public void Start_RedisUnreachableTwentyTimes_NoDescriptorsLeft()
    {
        Assume.That(Directory.Exists("/proc/self/fd"), "counts descriptors in /proc");
        var free = RedisProcess.Start();
        string config = free.Config;
        free.Dispose();
        var poller = PollerFactory.IsSupported(PollerKind.Epoll) ? PollerKind.Epoll : PollerKind.Select;
        var settings = new ServerSettings { Redis = config, Port = 0, Bind = System.Net.IPAddress.Loopback, Poller = poller };
        FailToStart(settings);  // the Redis client's own lasting threads and handles come with the first
        int before = OpenDescriptors();

        for (int i = 0; i < 20; i++)
        {
            FailToStart(settings);
        }

        // A leak is at least a poller and two wake-up sockets each time (60); the slack is for the Redis client's own.
        int grew = OpenDescriptors() - before;
        TestContext.Out.WriteLine($"descriptors: {before} before, {grew:+0;-0;0} after 20 failed starts");
        Assert.That(grew, Is.LessThan(10));
    }

    private static void FailToStart(ServerSettings settings)
    {
        using var server = new ChatServer(settings);
        Assert.That(server.Start, Throws.InstanceOf<StackExchange.Redis.RedisConnectionException>());
    }

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
}
