using System.Globalization;
using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Server.Polling;
using static ChatLoop.Server.Metrics.StatKind;

namespace ChatLoop.Server.Metrics;

/// <summary>
/// Every figure the server reports, once: STATS (PROTOCOL.md §6, in this order) and /metrics both read
/// this table. A new figure is one row here; a figure another part owns (the cluster's) is a row with no
/// reader, whose value that part supplies by key through <see cref="ServerStats.Supplier"/>.
/// Metric names follow Prometheus' conventions: the <c>chatloop_</c> prefix, <c>_total</c> on counters,
/// base units (seconds, bytes).
/// </summary>
internal static class StatsTable
{
    private const double TicksToMs = 1.0 / TimeSpan.TicksPerMillisecond;
    private const double TicksToSeconds = 1.0 / TimeSpan.TicksPerSecond;

    public static IReadOnlyList<StatRow> Rows { get; } = Build();

    /// <summary>How many rows have a STATS key: the most lines a STATS reply has.</summary>
    public static int KeyCount { get; } = Rows.Count(r => r.Key is not null && !r.HiddenInStats);

    private static StatRow[] Build()
    {
        List<StatRow> rows =
        [
            new("CLIENTS", "chatloop_clients", Gauge, "Client connections open.", s => s.Clients),
            new("ROOMS", "chatloop_rooms", Gauge, "Rooms the server knows.", s => s.Rooms),
            new("MESSAGES_IN", "chatloop_messages_in_total", Counter, "CHAT messages accepted.", s => s.MessagesIn),
            new("DELIVERIES_OUT", "chatloop_deliveries_out_total", Counter, "Broadcast blocks (chats and notices) queued to room members.", s => s.DeliveriesOut),
            new("BYTES_IN", "chatloop_received_bytes_total", Counter, "Bytes received from clients.", s => s.BytesIn),
            new("BYTES_OUT", "chatloop_sent_bytes_total", Counter, "Bytes sent to clients.", s => s.BytesOut),
            new("UPTIME_S", "chatloop_uptime_seconds", Gauge, "Time since the server started.", s => s.UptimeTicks) { KeyScale = TicksToSeconds, MetricScale = TicksToSeconds },
            new("SENDS", "chatloop_sends_total", Counter, "Send calls.", s => s.Sends),
            new("RECEIVES", "chatloop_receives_total", Counter, "Receive calls.", s => s.Receives),
            new("SELECTS", "chatloop_ticks_total", Counter, "Reactor ticks (one wait in the poller each).", s => s.Selects),
            new("SELECT_MS", "chatloop_poller_wait_seconds_total", Counter, "Time the reactor spent waiting in the poller.", s => s.SelectTicks) { KeyScale = TicksToMs, MetricScale = TicksToSeconds },
            new("BLOCKS_OUT", "chatloop_blocks_out_total", Counter, "Blocks queued to clients: broadcasts, replies and errors.", s => s.BlocksOut),
            new("ACCEPTED", "chatloop_accepted_connections_total", Counter, "Connections accepted.", s => s.Accepted),
            new("ERRORS_SENT", null, Counter, "ERROR blocks sent.", s => s.ErrorsSent),
            new("GC_GEN0", "chatloop_gc_collections_total", Counter, "Garbage collections, by generation.", _ => GC.CollectionCount(0)) { Label = ("generation", "0") },
            new("GC_GEN1", "chatloop_gc_collections_total", Counter, "Garbage collections, by generation.", _ => GC.CollectionCount(1)) { Label = ("generation", "1") },
            new("GC_GEN2", "chatloop_gc_collections_total", Counter, "Garbage collections, by generation.", _ => GC.CollectionCount(2)) { Label = ("generation", "2") },
            new("GC_PAUSE_MS", "chatloop_gc_pause_seconds_total", Counter, "Time the process was paused for garbage collection.", _ => GC.GetTotalPauseDuration().Ticks) { KeyScale = 1.0 / TimeSpan.TicksPerMillisecond, MetricScale = 1.0 / TimeSpan.TicksPerSecond },
            new(null, "chatloop_outbound_queued_bytes", Gauge, "Bytes queued for clients and not yet sent.", s => s.OutboundQueued),
            new("LAGGARDS", "chatloop_laggards", Gauge, "Members behind on their queue and draining it: the senders in their rooms wait for them.", s => s.Laggards),
            new("HELD", "chatloop_held_clients", Gauge, "Clients whose input waits: their own queue, or a laggard in one of their rooms, is behind.", s => s.HeldClients),
            new(null, "chatloop_poller", Gauge, "The poller that waits for socket events (STATS POLLER): 1 for the one in use.", s => s.Poller == PollerKind.Select ? 1 : 0) { Label = ("poller", "select") },
            new(null, "chatloop_poller", Gauge, "The poller that waits for socket events (STATS POLLER): 1 for the one in use.", s => s.Poller == PollerKind.Epoll ? 1 : 0) { Label = ("poller", "epoll") },

            // On a cluster node (PROTOCOL.md §7), supplied by the cluster.
            new("CLUSTER_NODES", "chatloop_cluster_nodes", Gauge, "Live nodes in the cluster.", null),
            new("CLUSTER_UP", "chatloop_cluster_up", Gauge, "1 while this node reaches the cluster's backplane (STATS CLUSTER_STATE up), else 0.", null) { HiddenInStats = true },
            new("EVENTS_PUBLISHED", "chatloop_cluster_events_published_total", Counter, "Room events this node published to the cluster.", null),
            new("EVENTS_APPLIED", "chatloop_cluster_events_applied_total", Counter, "Room events this node applied, from any node.", null),
            new("EVENT_GAPS", "chatloop_cluster_event_gaps_total", Counter, "Gaps found in the cluster's event sequence.", null),
            new("NODES_REAPED", "chatloop_cluster_nodes_reaped_total", Counter, "Dead nodes this node reaped.", null),
        ];

        foreach (var kind in Enum.GetValues<RequestKind>().Where(k => k != RequestKind.None))
        {
            rows.Add(new(null, "chatloop_requests_total", Counter, "Requests handled, by kind.", s => s.Requests[(int)kind]) { Label = ("kind", SnakeCase(kind.ToString())) });
        }

        foreach (var code in Enum.GetValues<ErrorCode>())
        {
            rows.Add(new(null, "chatloop_errors_sent_total", Counter, "ERROR blocks sent, by ERROR_CODE.", s => s.Errors[(int)code]) { Label = ("code", ((int)code).ToString(CultureInfo.InvariantCulture)) });
        }

        foreach (var reason in Enum.GetValues<CutOffReason>())
        {
            rows.Add(new(null, "chatloop_clients_cut_off_total", Counter, "Clients the server closed, by reason.", s => s.CutOffs[(int)reason]) { Label = ("reason", SnakeCase(reason.ToString())) });
        }

        return [.. rows];
    }

    /// <summary>KillService becomes kill_service.</summary>
    private static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        foreach (char ch in name)
        {
            if (char.IsUpper(ch) && sb.Length > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(ch));
        }

        return sb.ToString();
    }
}
