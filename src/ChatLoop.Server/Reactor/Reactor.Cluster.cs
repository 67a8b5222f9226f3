using ChatLoop.Server.Cluster;

namespace ChatLoop.Server.Reactor;

/// <summary>The reactor's steps for a cluster node; on a single node they do nothing.</summary>
internal sealed partial class Reactor
{
    /// <summary>How long a stopping node waits for its clients' leaving to go round the cluster.</summary>
    private static readonly TimeSpan LeaveClusterTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The cluster side of this node, or null on a single node (for tests: read it only after the reactor answered).</summary>
    internal ClusterSequencer? Cluster => _cluster;

    /// <summary>With --redis: connects to the cluster (unreachable: throws) and sequences events through it.</summary>
    private ClusterSequencer? JoinCluster(TimeProvider time)
    {
        if (_settings.Redis is null)
        {
            return null;
        }

        var cluster = new ClusterSequencer(_settings, _handler, _wakeup, time);
        _handler.Sequencer = cluster;
        _stats.Supplier = cluster.FillStats;
        return cluster;
    }

    /// <summary>The hand-off from the backplane's threads: what Redis sent back is applied, in order.</summary>
    private void ApplyClusterEvents() => _cluster?.Drain();

    /// <summary>Every event this tick produced goes to Redis together: one script run (DESIGN.md: no timer on the path).</summary>
    private void SendClusterBatch() => _cluster?.SendBatch();

    /// <summary>
    /// A node that stops on purpose (KILL_SERVICE, a signal) takes its clients out of their rooms first,
    /// so the members on other nodes see them leave now rather than once the node is found dead.
    /// </summary>
    private void LeaveCluster()
    {
        if (_cluster is null)
        {
            return;
        }

        foreach (var c in _connections)
        {
            _handler.Retire(c);
        }

        _cluster.SendBatch();
        long deadline = Now + ToTicks(LeaveClusterTimeout);
        while (Now < deadline && _connections.Exists(c => !c.Member.Retired))
        {
            _wakeup.Socket.Poll(50_000, System.Net.Sockets.SelectMode.SelectRead);
            _wakeup.Drain();
            _cluster.Drain();
            _cluster.SendBatch();
        }

        _cluster.EveryoneLeft = !_connections.Exists(c => !c.Member.Retired);
    }
}
