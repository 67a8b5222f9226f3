using ChatLoop.Server.Cluster;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// The reactor's steps for a cluster node (with --redis): applying what Redis handed back, sending the
/// tick's batch, and leaving the cluster at stop. On a single node there is no sequencer and they do nothing.
/// </summary>
internal sealed class ClusterSteps : IDisposable
{
    /// <summary>How long a stopping node waits for its clients' leaving to go round the cluster.</summary>
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(2);

    private readonly ClusterSequencer? _sequencer;
    private readonly Wakeup _wakeup;
    private readonly ReactorClock _clock;

    private ClusterSteps(ClusterSequencer? sequencer, Wakeup wakeup, ReactorClock clock)
    {
        _sequencer = sequencer;
        _wakeup = wakeup;
        _clock = clock;
    }

    /// <summary>The cluster side of this node, or null on a single node.</summary>
    public ClusterSequencer? Sequencer => _sequencer;

    /// <summary>With --redis: connects to the cluster (unreachable: throws) and sequences events through it.</summary>
    public static ClusterSteps Join(ServerSettings settings, CommandHandler handler, ServerStats stats, Wakeup wakeup, ReactorClock clock, TimeProvider time)
    {
        if (settings.Redis is null)
        {
            return new ClusterSteps(null, wakeup, clock);
        }

        var cluster = new ClusterSequencer(settings, handler, wakeup, time);
        handler.Sequencer = cluster;
        stats.Supplier = cluster.FillStats;
        return new ClusterSteps(cluster, wakeup, clock);
    }

    /// <summary>The hand-off from the backplane's threads: what Redis sent back is applied, in order.</summary>
    public void ApplyEvents() => _sequencer?.Drain();

    /// <summary>Every event this tick produced goes to Redis together: one script run (DESIGN.md: no timer on the path).</summary>
    public void SendBatch() => _sequencer?.SendBatch();

    /// <summary>
    /// A node that stops on purpose (KILL_SERVICE, a signal) takes its clients out of their rooms first,
    /// so the members on other nodes see them leave now rather than once the node is found dead.
    /// </summary>
    public void Leave(ConnectionList connections, CommandHandler handler)
    {
        if (_sequencer is null)
        {
            return;
        }

        foreach (var c in connections)
        {
            handler.Retire(c);
        }

        _sequencer.SendBatch();
        long deadline = _clock.Now + _clock.Ticks(LeaveTimeout);
        while (_clock.Now < deadline && connections.Exists(c => !c.Member.Retired))
        {
            _wakeup.Socket.Poll(50_000, System.Net.Sockets.SelectMode.SelectRead);
            _wakeup.Drain();
            _sequencer.Drain();
            _sequencer.SendBatch();
        }

        _sequencer.EveryoneLeft = !connections.Exists(c => !c.Member.Retired);
    }

    public void Dispose() => _sequencer?.Dispose();
}
