using ChatLoop.Server;

namespace ChatLoop.Tests.Support;

/// <summary>A Redis and several in-process ChatLoop nodes on it, for one test.</summary>
public sealed class ClusterNodes : IDisposable
{
    /// <summary>Short, so a dead node is reaped within a test's patience.</summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(2);

    private readonly List<TestServer> _nodes = [];

    public ClusterNodes(int count, RedisProcess? redis = null)
    {
        Redis = redis ?? RedisProcess.Start();
        try
        {
            for (int i = 0; i < count; i++)
            {
                Add();
            }
        }
        catch
        {
            // A node that fails to start leaves neither the nodes before it nor the Redis started here running.
            foreach (var node in _nodes)
            {
                node.Dispose();
            }

            if (redis is null)
            {
                Redis.Dispose();
            }

            throw;
        }
    }

    public RedisProcess Redis { get; }

    public IReadOnlyList<TestServer> Nodes => _nodes;

    public TestServer this[int i] => _nodes[i];

    public static ServerSettings SettingsFor(RedisProcess redis) => SettingsFor(redis.Config);

    /// <summary>A node's settings for a --redis configuration (a Sentinel's, say).</summary>
    public static ServerSettings SettingsFor(string redisConfig) => new()
    {
        Redis = redisConfig,
        NodeTimeout = NodeTimeout,
        RedisTimeout = TimeSpan.FromMilliseconds(500),
        CloseGrace = TimeSpan.FromSeconds(1),
    };

    public TestServer Add()
    {
        var node = new TestServer(SettingsFor(Redis));
        _nodes.Add(node);
        return node;
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        Redis.Dispose();
    }
}
