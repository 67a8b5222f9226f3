using System.Net;
using System.Text.RegularExpressions;
using ChatLoop.Load;
using ChatLoop.Server;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Load;

/// <summary>
/// --hosts against two independent servers in this process. They share nothing, so a room whose
/// members are all on one of them behaves as on a cluster, and a room spread over both shows what
/// the tool reports when a "cluster" fails to carry a room's traffic between its nodes.
/// </summary>
[NonParallelizable]
public sealed partial class LoadRunHostsTests
{
    private static LoadSettings Settings(params int[] ports) => new()
    {
        Servers = [.. ports.Select(p => new IPEndPoint(IPAddress.Loopback, p))],
        Messages = 5,
        ShowProgress = false,
        Timeout = TimeSpan.FromSeconds(60),
    };

    [Test]
    public void Run_OneMemberPerRoomOnTwoServers_HalfTheClientsOnEachAndEveryCheckPasses()
    {
        using var a = new TestServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback });
        using var b = new TestServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback });

        // member 0 of room r goes to node r mod 2: rooms 0, 2, ... on a, rooms 1, 3, ... on b
        var result = new LoadRun(Settings(a.Port, b.Port) with { Clients = 20, Rooms = 20 }).Run(null, false);

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.Passed, Is.True);
        Assert.That(result.JoinedPerServer, Is.EqualTo(new[] { 10, 10 }));
        Assert.That(result.Server, Is.EqualTo($"127.0.0.1:{a.Port},127.0.0.1:{b.Port}"));
        Assert.That(result.SelfEchoes, Is.EqualTo(20 * 5));

        // what each server saw: its half of the connections (and the one asking) and of the messages
        foreach (var server in new[] { a, b })
        {
            var stats = Stats(server);
            Assert.That((stats["ACCEPTED"], stats["MESSAGES_IN"]), Is.EqualTo((10L + 1, 10L * 5)), $"server on {server.Port}");
        }
    }

    [Test]
    public void Run_RoomsSpanningServersThatDoNotForward_FailsOnTheMissingJoinNotices()
    {
        using var a = new TestServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback });
        using var b = new TestServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback });

        // 2 rooms of 10: member j of room r on node (r + j) mod 2, so 5 on each server per room.
        // No member ever hears of the 5 on the other server: the run cannot start sending.
        var settings = Settings(a.Port, b.Port) with { Clients = 20, Rooms = 2, Stall = TimeSpan.FromSeconds(2) };
        var result = new LoadRun(settings).Run(null, false);

        Assert.That(result.Passed, Is.False);
        Assert.That(result.JoinedPerServer, Is.EqualTo(new[] { 10, 10 }));
        Assert.That(result.JoinNotices.MissingPairs, Is.EqualTo(2 * 5 * 5), "no notices between members on different servers");
        Assert.That(result.JoinNotices.MissingOwn, Is.Zero);
        Assert.That(result.Sent, Is.Zero);
        Assert.That(result.StoppedBecause, Is.EqualTo("no progress for 2 s in stage ConnectHealthy"));
    }

    private static Dictionary<string, long> Stats(TestServer server)
    {
        using var client = server.Connect();
        client.Send("STATS\n");
        var text = client.ReadThrough("\n\n");
        return StatLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^([A-Z_0-9]+): (\d+)$", RegexOptions.Multiline)]
    private static partial Regex StatLine();
}
