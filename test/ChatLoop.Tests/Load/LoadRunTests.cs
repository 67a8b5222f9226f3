using System.Net;
using ChatLoop.Load;
using ChatLoop.Server;

namespace ChatLoop.Tests.Load;

/// <summary>The load tool against a real server in this process, on a loopback port of its own.</summary>
[NonParallelizable]
public sealed class LoadRunTests
{
    private static LoadSettings Settings(int port) => new()
    {
        Servers = [new IPEndPoint(IPAddress.Loopback, port)],
        Clients = 50,
        Rooms = 5,
        Messages = 20,
        ShowProgress = false,
        Timeout = TimeSpan.FromSeconds(60),
    };

    [Test]
    public void Run_FiftyClientsFiveRooms_EveryMessageDeliveredOnceAndPasses()
    {
        using var server = new ChatServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback });
        server.Start();

        var result = new LoadRun(Settings(server.Port)).Run(progress: null, inPlace: false);

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.Joined, Is.EqualTo(50));
        Assert.That(result.Sent, Is.EqualTo(50 * 20));

        // each message reaches the 9 other members of its room of 10, and its sender once
        Assert.That(result.Deliveries, Is.EqualTo(50 * 20 * 9));
        Assert.That(result.ExpectedDeliveries, Is.EqualTo(50 * 20 * 9));
        Assert.That(result.SelfEchoes, Is.EqualTo(50 * 20));
        Assert.That((result.Lost, result.Duplicated, result.OutOfOrder), Is.EqualTo((0L, 0L, 0L)));
        Assert.That((result.UnexpectedBlocks, result.Errors, result.ClosedEarly), Is.EqualTo((0L, 0L, 0L)));
        Assert.That(result.JoinNotices.Problems, Is.Zero);
        Assert.That(result.LatencyMaxUs, Is.GreaterThan(0));
        Assert.That(result.Passed, Is.True);
    }

    [Test]
    public void Run_SlowMembersOverflowTheServersCap_CutOffWhileHealthyLoseNothing()
    {
        using var server = new ChatServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback });
        server.Start();

        // The kernel holds several MB for a socket that is never read (the server's send buffer
        // grows to 4 MB), so the slow member must be sent more: 1,500 messages of 8 KB = 12 MB. A
        // healthy member has at most window x 10 senders x 8 KB = 320 KB queued, under the 1 MB cap.
        var settings = Settings(server.Port) with { Clients = 10, Rooms = 1, Slow = 1, Size = 8000, Window = 4, Messages = 150 };
        var result = new LoadRun(settings).Run(progress: null, inPlace: false);

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.SlowJoined, Is.EqualTo(1));
        Assert.That(result.SlowCutOff, Is.EqualTo(1));
        Assert.That(result.SlowLeaveNoticesSeen, Is.EqualTo(1));
        Assert.That(result.Deliveries, Is.EqualTo(10 * 150 * 9));
        Assert.That(result.Lost, Is.Zero);
        Assert.That(result.Passed, Is.True);
    }

    [Test]
    public void Run_NoServerListening_FailsAtOnceWithEveryClientClosedEarly()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new LoadRun(Settings(port)).Run(null, false);

        Assert.That(result.Passed, Is.False);
        Assert.That(result.ClosedEarly, Is.EqualTo(50));
        Assert.That(result.StoppedBecause, Is.EqualTo("50 of 50 clients could not connect and join"));
        Assert.That(result.Problems[0], Does.Contain("ConnectionRefused"));

        // well before the 10 s without progress that would also have stopped it
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Run_ANameAlreadyInUse_FailsAtOnceWithTheServersError()
    {
        using var server = new ChatServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback });
        server.Start();
        using var other = new System.Net.Sockets.TcpClient();
        other.Connect(IPAddress.Loopback, server.Port);
        var stream = other.GetStream();
        stream.ReadTimeout = 10_000;
        stream.Write("JOIN_CHATROOM: elsewhere\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: c3\n"u8);
        Assert.That(stream.ReadByte(), Is.EqualTo('J'), "the other client's JOINED_CHATROOM");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new LoadRun(Settings(server.Port)).Run(null, false);

        Assert.That(result.Passed, Is.False);
        Assert.That(result.Errors, Is.EqualTo(1));
        Assert.That(result.Joined, Is.EqualTo(49));
        Assert.That(result.StoppedBecause, Is.EqualTo("1 of 50 clients could not connect and join"));
        Assert.That(result.Problems, Has.Some.Contains("c3 got ERROR 6"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }
}
