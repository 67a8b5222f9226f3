using ChatLoop.Tests.Support;
using StackExchange.Redis;

namespace ChatLoop.Tests.Cluster;

/// <summary>A Redis that takes the connection but does not answer the node's registration in time.</summary>
public sealed class SlowRedisStartTests
{
    [Test]
    public void Program_RedisPausesWrites_SaysHowFarItGot_OneErrorLineAndStatus1()
    {
        using var redis = RedisProcess.Start();
        using var admin = ConnectionMultiplexer.Connect(redis.Config + ",allowAdmin=true");
        var server = admin.GetServer(redis.Config);

        // Reads (the client's handshake) are answered, writes (registering the node) wait: the node's sync calls time out.
        server.Execute("CLIENT", "PAUSE", "30000", "WRITE");
        try
        {
            var (exitCode, errors) = ServerCommand.Run(TimeSpan.FromSeconds(25), "0", "--bind", "127.0.0.1", "--redis", redis.Config);

            Assert.That(exitCode, Is.EqualTo(1));
            // Progress lines first (connecting, then registering: where a slow start got to), then the one error.
            Assert.That(errors.Where(l => l.StartsWith("chatloop:", StringComparison.Ordinal)), Is.EqualTo(new[] { $"chatloop: Redis at '{redis.Config}' (--redis) did not answer in time" }));
            Assert.That(errors[^1], Does.StartWith("chatloop: "));
            Assert.That(errors.Any(l => l.Contains("Cluster: connected to", StringComparison.Ordinal) && l.Contains("registering this node", StringComparison.Ordinal)), Is.True,
                $"no progress line said how far the start got:\n{string.Join('\n', errors)}");
        }
        finally
        {
            server.Execute("CLIENT", "UNPAUSE");
        }
    }
}
