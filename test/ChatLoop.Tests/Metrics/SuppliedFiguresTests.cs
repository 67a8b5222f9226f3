using System.Text;
using ChatLoop.Server;
using ChatLoop.Server.Metrics;

namespace ChatLoop.Tests.Metrics;

/// <summary>Figures another part owns (the cluster's, PROTOCOL.md §7) reach STATS and /metrics through the one table.</summary>
public sealed class SuppliedFiguresTests
{
    [Test]
    public void Supplier_ClusterFigures_InStatsAndMetricsUnderTheirNames()
    {
        var stats = new ServerStats { Supplier = ClusterFigures };

        var lines = Stats(stats);
        Assert.That(lines.Where(l => l.Key.StartsWith("CLUSTER_", StringComparison.Ordinal) || l.Key.Contains("EVENT") || l.Key == "NODES_REAPED"), Is.EqualTo(new KeyValuePair<string, long>[]
        {
            new("CLUSTER_NODES", 3), new("EVENTS_PUBLISHED", 40), new("EVENTS_APPLIED", 120), new("EVENT_GAPS", 1), new("NODES_REAPED", 2),
        }));

        var samples = Export(stats);
        Assert.That(samples["chatloop_cluster_nodes"], Is.EqualTo(3));
        Assert.That(samples["chatloop_cluster_up"], Is.EqualTo(1));
        Assert.That(samples["chatloop_cluster_events_published_total"], Is.EqualTo(40));
        Assert.That(samples["chatloop_cluster_events_applied_total"], Is.EqualTo(120));
        Assert.That(samples["chatloop_cluster_event_gaps_total"], Is.EqualTo(1));
        Assert.That(samples["chatloop_cluster_nodes_reaped_total"], Is.EqualTo(2));
    }

    [Test]
    public void NoSupplier_SingleNode_NoClusterFiguresAnywhere()
    {
        var stats = new ServerStats();
        Assert.That(Stats(stats).Select(l => l.Key), Has.None.StartsWith("CLUSTER_").And.None.Contains("EVENT").And.None.EqualTo("NODES_REAPED"));
        Assert.That(Export(stats).Keys, Has.None.StartsWith("chatloop_cluster_"));
    }

    /// <summary>What /metrics would serve for <paramref name="stats"/> (the HTTP side is tested with the server).</summary>
    internal static string ExportText(ServerStats stats)
    {
        var snapshot = stats.Snapshot(rooms: 2, outboundQueued: 0);
        using var body = new MemoryStream();
        new MetricsExporter(() => snapshot).WriteAsync(body, CancellationToken.None).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(body.ToArray());
    }

    internal static int ClusterFigures(Span<KeyValuePair<string, long>> into)
    {
        KeyValuePair<string, long>[] figures =
        [
            new("CLUSTER_NODES", 3), new("CLUSTER_UP", 1), new("EVENTS_PUBLISHED", 40), new("EVENTS_APPLIED", 120), new("EVENT_GAPS", 1), new("NODES_REAPED", 2),
        ];
        figures.CopyTo(into);
        return figures.Length;
    }

    private static Dictionary<string, double> Export(ServerStats stats) => Support.MetricsScraper.Parse(ExportText(stats));

    private static KeyValuePair<string, long>[] Stats(ServerStats stats)
    {
        var lines = new KeyValuePair<string, long>[StatsTable.KeyCount];
        return lines[..stats.Fill(lines, rooms: 2)];
    }
}
