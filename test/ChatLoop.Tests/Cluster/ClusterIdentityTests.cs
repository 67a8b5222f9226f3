using ChatLoop.Protocol;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>Refs, JOIN_IDs and names are the cluster's, not a node's (CLUSTER.md, the rules table).</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterIdentityTests
{
    [Test]
    public void Join_SameNewRoomOnThreeNodesAtOnce_OneRef()
    {
        using var cluster = new ClusterNodes(3);
        var clients = Enumerable.Range(0, 9).Select(i => cluster[i % 3].Connect()).ToList();
        for (int i = 0; i < clients.Count; i++)
        {
            clients[i].Label = $"c{i}";
            clients[i].Send(Requests.Join("fresh", $"c{i}"));
        }

        var refs = clients.Select(c => c.ReadBlock()).Select(b => b.GetNumber("ROOM_REF")).Distinct().ToList();
        Assert.That(refs, Is.EqualTo(new long?[] { 0 }), "every node gave the new room the same ref, the cluster's first");
    }

    [Test]
    public void Join_ClientsOnDifferentNodes_JoinIdsUniqueAndRefsShared()
    {
        using var cluster = new ClusterNodes(2);
        var ids = new List<long>();
        var refs = new Dictionary<string, long>();
        for (int i = 0; i < 6; i++)
        {
            var c = cluster[i % 2].Connect();
            c.Label = $"n{i}";
            var (r, id) = Join(c, $"room{i % 3}", $"n{i}");
            ids.Add(id);
            Assert.That(refs.TryAdd($"room{i % 3}", r) || refs[$"room{i % 3}"] == r, Is.True, $"room{i % 3} has one ref on both nodes");
        }

        Assert.That(ids, Is.Unique);
        Assert.That(refs.Values.Order(), Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public void Join_NameHeldOnAnotherNode_Error6UntilItsHolderLeaves()
    {
        using var cluster = new ClusterNodes(2);
        using var alice = cluster[0].Connect();
        Join(alice, "lobby", "alice");
        using var other = cluster[1].Connect();
        other.Send(Requests.Join("elsewhere", "ALICE"));
        other.ReadError(ErrorCode.InvalidName);

        alice.Send(Requests.Disconnect("alice"));
        alice.ReadBlock();
        alice.ExpectClosed();

        // The name is freed once alice's leaving has gone round the cluster: join as soon as it is.
        Wait.Until(
            () =>
            {
                other.Send(Requests.Join("elsewhere", "Alice"));
                var block = other.ReadBlock();
                if (block.Kind == ResponseKind.Joined)
                {
                    return true;
                }

                Assert.That(block.GetNumber("ERROR_CODE"), Is.EqualTo(6));
                return false;
            },
            "the name was never freed");
    }

    [Test]
    public void Program_RedisUnreachable_OneLineAndStatus1()
    {
        var free = RedisProcess.Start();
        string config = free.Config;
        free.Dispose();
        var dll = Path.Combine(AppContext.BaseDirectory, "ChatLoop.Server.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [dll, "0", "--bind", "127.0.0.1", "--redis", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = System.Diagnostics.Process.Start(start)!;
        var stderr = node.StandardError.ReadToEndAsync();
        node.StandardOutput.ReadToEndAsync();
        Assert.That(node.WaitForExit(30_000), Is.True, "the node gave up");
        Assert.That(node.ExitCode, Is.EqualTo(1));
        var lines = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("chatloop:", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Is.EqualTo(new[] { $"chatloop: cannot reach Redis at '{config}' (--redis)" }));
    }

    [Test]
    public void Start_RedisUnreachable_Throws()
    {
        var free = RedisProcess.Start();
        string config = free.Config;
        free.Dispose();
        var settings = new ChatLoop.Server.ServerSettings { Redis = config, Port = 0, Bind = System.Net.IPAddress.Loopback };
        using var server = new ChatLoop.Server.ChatServer(settings);
        Assert.That(server.Start, Throws.InstanceOf<StackExchange.Redis.RedisConnectionException>());
    }
}
