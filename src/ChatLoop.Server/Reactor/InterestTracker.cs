using ChatLoop.Server.Connections;
using ChatLoop.Server.Polling;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// The reactor's side of the poller seam. What it wants to hear about a connection is decided in one
/// predicate for reading (<see cref="WantsRead"/>) and one for writing (<see cref="Connection.WriteBlocked"/>).
/// Wherever either can change, the connection is noted (<see cref="MayChange"/>); before each wait the
/// poller is told the final answer for each noted connection (<see cref="Apply"/>), so a connection scheduled
/// and served in the same tick costs the poller nothing, and epoll makes at most one epoll_ctl for it per tick.
/// </summary>
internal sealed class InterestTracker
{
    private readonly IPoller _poller;
    private readonly int _backpressureBytes;
    private readonly ConnectionQueue _rewatch = new(ConnectionQueues.Rewatch);

    public InterestTracker(IPoller poller, ServerSettings settings)
    {
        _poller = poller;
        _backpressureBytes = settings.BackpressureBytes;
    }

    /// <summary>Something <see cref="WantsRead"/> or <see cref="Connection.WriteBlocked"/> reads may have changed.</summary>
    public void MayChange(Connection c) => _rewatch.Enqueue(c);

    /// <summary>Starts watching a new connection for what it wants now.</summary>
    public void Watch(Connection c) => _poller.Add(c, InterestOf(c));

    /// <summary>Stops watching a connection about to be closed.</summary>
    public void Unwatch(Connection c) => _poller.Remove(c);

    /// <summary>Before the wait: the poller learns the final interest of every connection noted since the last.</summary>
    public void Apply()
    {
        while (_rewatch.TryDequeue(out var c))
        {
            if (c.PollToken >= 0)
            {
                _poller.Change(c, InterestOf(c));
            }
        }
    }

    /// <summary>
    /// The one rule for "read this connection's socket now". A closing connection is read only to see its end;
    /// once the client has closed (end of stream seen) there is nothing more to read. An open one is read when
    /// it has no input waiting to be served (in the run queue or held) and its own queue is under the
    /// backpressure mark. The answer changes only where those change, and each of those places calls
    /// <see cref="MayChange"/>: a read or the idle timer schedules input, a turn uses input up or holds it,
    /// held input resumes, the queue crosses the mark (a block queued, a Send), and the connection closes.
    /// </summary>
    private bool WantsRead(Connection c) =>
        !c.PeerClosed
        && (!c.IsOpen || ((c.Queues & (ConnectionQueues.Run | ConnectionQueues.Held)) == 0 && c.Outbound.Length < _backpressureBytes));

    private Interest InterestOf(Connection c) =>
        (WantsRead(c) ? Interest.Read : Interest.None) | (c.WriteBlocked ? Interest.Write : Interest.None);
}
