using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// A closing connection's leaving whose gone event Redis did not take: once the cluster is back it leaves
/// its remaining rooms again, one at a time from the lowest ref, the next once the last was taken, so the
/// notices stay in ref order whatever order the failures came back in (one whose event is still on its way
/// is a no-op in Redis). Reactor thread only.
/// </summary>
internal sealed class LeaveRetries
{
    private readonly Action<Connection, Room> _publishGone;

    /// <summary>Leaving connections one of whose gone events Redis did not take.</summary>
    private readonly List<Connection> _failed = [];

    /// <summary>Leaving connections being retried one room at a time.</summary>
    private readonly HashSet<Connection> _chain = [];

    public LeaveRetries(Action<Connection, Room> publishGone) => _publishGone = publishGone;

    /// <summary>Nobody was told anything yet: it stays pending and is sent again once the backplane is back.</summary>
    public void Failed(Connection c) => _failed.Add(c);

    /// <summary>When the cluster is up: each failed connection starts again from its lowest room.</summary>
    public void RetryFailed()
    {
        if (_failed.Count == 0)
        {
            return;
        }

        var retry = _failed.Distinct().ToArray();
        _failed.Clear();
        foreach (var c in retry)
        {
            _chain.Add(c);
            Next(c, -1);
        }
    }

    public bool HasFailed => _failed.Count > 0;

    /// <summary>A gone event of the connection was taken (or found done): its next room, if it is being retried.</summary>
    public void Taken(Connection c, long roomRef)
    {
        if (_chain.Contains(c))
        {
            Next(c, roomRef);
        }
    }

    /// <summary>The connection has retired.</summary>
    public void Forget(Connection c) => _chain.Remove(c);

    /// <summary>The gone event of the connection's first room past <paramref name="afterRef"/>, if any.</summary>
    private void Next(Connection c, long afterRef)
    {
        var next = c.Member.Rooms?.Find(r => r.Ref > afterRef);
        if (next is null)
        {
            _chain.Remove(c);
            return;
        }

        _publishGone(c, next);
    }
}
