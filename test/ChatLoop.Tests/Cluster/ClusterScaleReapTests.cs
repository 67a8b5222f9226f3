using System.Diagnostics;
using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Cluster;

/// <summary>
/// A big node dies (CLUSTER.md "At scale" 3): its members are reaped in batches, off the survivors'
/// liveness path, so no live node is taken for dead meanwhile and every survivor sees each leave once.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterScaleReapTests
{
    private const int Rooms = 200;
    private const int Members = 3000;
    private const int RoomsPerMember = 4;

    [Test]
    public void BigNodeKilled_ReapedWithinSeconds_EachLeaveOnceOnEverySurvivor_NoLiveNodeTakenForDead()
    {
        using var cluster = new ClusterNodes(2);
        using var doomed = new NodeProcess(cluster.Redis, ClusterNodes.NodeTimeout);
        using var obs0 = cluster[0].Connect();
        using var obs1 = cluster[1].Connect();
        obs0.Label = "observer on node 0";
        obs1.Label = "observer on node 1";
        var refs = JoinAll(obs0, "obs0");
        Assert.That(JoinAll(obs1, "obs1"), Is.EqualTo(refs), "one ref per room on both nodes");

        var clients = new List<TestClient>(Members);
        try
        {
            for (int i = 0; i < Members; i++)
            {
                var c = doomed.Connect();
                clients.Add(c);
                var joins = new StringBuilder();
                for (int j = 0; j < RoomsPerMember; j++)
                {
                    joins.Append(Requests.Join(RoomName(((i * RoomsPerMember) + j) % Rooms), "d" + i));
                }

                c.Send(joins.ToString());
            }

            // Every member's joins have gone round the cluster once both observers have seen them all.
            var joinsSeen = TimeSpan.FromSeconds(60);
            Notices(obs0, Members * RoomsPerMember, joining: true, joinsSeen);
            Notices(obs1, Members * RoomsPerMember, joining: true, joinsSeen);

            var clock = Stopwatch.StartNew();
            doomed.KillHard();
            var within = ClusterNodes.NodeTimeout + TimeSpan.FromSeconds(8);
            Notices(obs0, Members * RoomsPerMember, joining: false, within);
            Notices(obs1, Members * RoomsPerMember, joining: false, within);
            TestContext.Out.WriteLine($"{Members} members in {Members * RoomsPerMember} memberships over {Rooms} rooms: every leave seen on both survivors {clock.Elapsed.TotalSeconds:F1} s after the kill");

            // Nothing else: no leave twice, and neither survivor was taken for dead (its observer would be
            // closed with ERROR 12 and the other would see it leave).
            obs0.ExpectNothing(TimeSpan.FromSeconds(1));
            obs1.ExpectNothing();
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    private static string RoomName(int i) => "big" + i;

    /// <summary>Joins every room, pipelined; returns the refs in room order.</summary>
    private static long[] JoinAll(TestClient c, string name)
    {
        var joins = new StringBuilder();
        for (int i = 0; i < Rooms; i++)
        {
            joins.Append(Requests.Join(RoomName(i), name));
        }

        c.Send(joins.ToString());
        var refs = new long[Rooms];
        for (int i = 0; i < Rooms; i++)
        {
            refs[i] = ClusterTestSteps.ReadJoined(c, name).Ref;
        }

        return refs;
    }

    /// <summary>
    /// Reads until <paramref name="count"/> distinct (room, member) notices of the doomed node's members
    /// have come, each once; an observer's join notices of the other observer are passed over.
    /// </summary>
    private static void Notices(TestClient c, int count, bool joining, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var seen = new HashSet<(long, string)>();
        while (seen.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.That(left, Is.GreaterThan(TimeSpan.Zero), $"{c.Label}: {seen.Count} of {count} {(joining ? "join" : "leave")} notices within {within}");
            var block = c.ReadBlock(left);
            string who = block.Get("CLIENT_NAME") ?? "";
            if (joining && block.IsJoinNotice && who.StartsWith("obs", StringComparison.Ordinal))
            {
                continue;
            }

            bool expected = joining ? block.IsJoinNotice : block.IsLeaveNotice;
            Assert.That(expected && who.StartsWith('d'), Is.True, $"{c.Label}: unexpected {TestClient.Show(block)}");
            Assert.That(seen.Add((block.GetNumber("CHAT")!.Value, who)), Is.True, $"{c.Label}: twice: {TestClient.Show(block)}");
        }
    }
}
