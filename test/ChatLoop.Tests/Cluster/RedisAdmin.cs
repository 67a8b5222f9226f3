using ChatLoop.Tests.Support;
using StackExchange.Redis;

namespace ChatLoop.Tests.Cluster;

/// <summary>A test's own admin connection to the cluster's Redis, to make it misbehave in one precise way.</summary>
internal sealed class RedisAdmin : IDisposable
{
    private readonly ConnectionMultiplexer _redis;

    /// <summary>No configuration channel: this connection holds no subscription of its own.</summary>
    public RedisAdmin(RedisProcess redis)
    {
        _redis = ConnectionMultiplexer.Connect(redis.Config + ",allowAdmin=true,configChannel=");
        Server = _redis.GetServer(redis.Config);
    }

    public IServer Server { get; }

    /// <summary>Redis answers but refuses every script (the nodes' events) until the result is disposed.</summary>
    public IDisposable RefuseScripts()
    {
        Server.Execute("ACL", "SETUSER", "default", "-eval", "-evalsha");
        Server.Execute("ACL", "LOG", "RESET");
        return new Restore(() => Server.Execute("ACL", "SETUSER", "default", "+eval", "+evalsha"));
    }

    /// <summary>Waits (bounded) until Redis has refused a command since <see cref="RefuseScripts"/>.</summary>
    public void WaitForARefusal(TimeSpan within, string what)
    {
        Wait.Until(() => ((RedisResult[])Server.Execute("ACL", "LOG")!).Length > 0, what, within, TimeSpan.FromMilliseconds(20));
    }

    /// <summary>The ids of Redis's clients that hold a subscription.</summary>
    public long[] PubSubClients() =>
        [.. ((string)Server.Execute("CLIENT", "LIST", "TYPE", "pubsub")!)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => long.Parse(line.Split(' ')[0]["id=".Length..]))];

    public void Dispose() => _redis.Dispose();

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
