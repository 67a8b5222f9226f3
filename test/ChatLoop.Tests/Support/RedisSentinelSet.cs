using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace ChatLoop.Tests.Support;

/// <summary>
/// Redis as operators run it highly available: a primary, a replica (redis-server --replicaof) and a Sentinel
/// (redis-server FILE --sentinel) on free loopback ports, for one test. Nodes connect through the Sentinel.
/// </summary>
public sealed class RedisSentinelSet : IDisposable
{
    public const string Service = "chatloop";

    private readonly string _dir = Directory.CreateTempSubdirectory("chatloop-sentinel-").FullName;

    public RedisSentinelSet()
    {
        try
        {
            // No diskless-sync delay (5 s by default, waiting for more replicas): the replica is in sync within
            // a second or two of starting, not only after WaitReplicaInSync's patience on a busy machine.
            Primary = RedisProcess.Start(["--repl-diskless-sync-delay", "0"]);
            Replica = RedisProcess.Start(["--replicaof", "127.0.0.1", Primary.Port.ToString()]);
            var file = Path.Combine(_dir, "sentinel.conf");
            File.WriteAllText(file, $"""
                sentinel monitor {Service} 127.0.0.1 {Primary.Port} 1
                sentinel down-after-milliseconds {Service} 1000
                sentinel failover-timeout {Service} 2000

                """);
            Sentinel = RedisProcess.StartSentinel(file);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public RedisProcess Primary { get; } = null!;

    public RedisProcess Replica { get; } = null!;

    public RedisProcess Sentinel { get; } = null!;

    /// <summary>The --redis value: StackExchange.Redis asks the Sentinel for the primary.</summary>
    public string Config => $"127.0.0.1:{Sentinel.Port},serviceName={Service}";

    /// <summary>Waits (bounded) until the replica has every write the primary has.</summary>
    public void WaitReplicaInSync(TimeSpan within)
    {
        using var primary = ConnectionMultiplexer.Connect($"{Primary.Config},allowAdmin=true,configChannel=");
        var db = primary.GetDatabase();
        Wait.Until(() => (long)db.Execute("WAIT", 1, 100) >= 1, "the replica never caught up with the primary", within, TimeSpan.Zero);
    }

    /// <summary>
    /// Freezes the replica and cuts its link on the primary: what the primary takes from now on stays in the
    /// primary alone (not even in the replica's socket buffers), to be lost if the primary dies.
    /// </summary>
    public void CutOffReplica()
    {
        // Connected first: a client connecting meets the frozen replica and waits for it.
        using var primary = ConnectionMultiplexer.Connect($"{Primary.Config},allowAdmin=true,configChannel=");
        Replica.Pause();
        var killed = (long)primary.GetServer(Primary.Config).Execute("CLIENT", "KILL", "TYPE", "replica");
        Assert.That(killed, Is.EqualTo(1), "the replica's link was cut");
    }

    /// <summary>Waits (bounded) until the Sentinel names the replica as the primary.</summary>
    public void WaitForFailover(TimeSpan within)
    {
        Wait.Until(() => PrimaryPort() == Replica.Port, "the Sentinel never failed over to the replica", within);
    }

    /// <summary>The primary's port as the Sentinel sees it, asked with one inline command on a plain socket.</summary>
    private int PrimaryPort()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        socket.Connect(IPAddress.Loopback, Sentinel.Port);
        socket.Send(Encoding.ASCII.GetBytes($"SENTINEL get-master-addr-by-name {Service}\r\n"));
        var reply = new StringBuilder();
        var buffer = new byte[256];
        while (reply.ToString().Split("\r\n").Length < 6)
        {
            int n = socket.Receive(buffer);
            Assert.That(n, Is.GreaterThan(0), "the Sentinel closed the connection");
            reply.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        // *2 $9 127.0.0.1 $N PORT
        return int.Parse(reply.ToString().Split("\r\n")[4]);
    }

    public void Dispose()
    {
        Sentinel?.Dispose();
        Replica?.Dispose();
        Primary?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A Sentinel rewriting its file as it was killed; the temp directory is left.
        }
    }
}
