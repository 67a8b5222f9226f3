using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The cluster requests under way: each connection's JOIN or LEAVE sent to Redis and not yet answered,
/// oldest first, and the room of each JOIN on its way. A request whose event has not come back this long
/// after Redis's deadline (an event lost on a dropped subscription) is stuck: it ends with ERROR 12 and
/// the client is closed, rather than hold its input forever. Reactor thread only.
/// </summary>
internal sealed class RequestWatch
{
    /// <summary>How long past Redis's deadline an answer may still come.</summary>
    private static readonly TimeSpan StuckGrace = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private readonly long _stuckTicks;
    private readonly Queue<(Connection C, long Since)> _watch = new();

    /// <summary>Connections whose JOIN is on its way to Redis, and the room: if it never comes back, it is left again.</summary>
    private readonly Dictionary<Connection, Room> _joining = [];

    public RequestWatch(TimeProvider time, TimeSpan redisTimeout)
    {
        _time = time;
        _stuckTicks = (long)((redisTimeout + StuckGrace).TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>A JOIN or LEAVE goes to the cluster: counted on the connection, watched from its first.</summary>
    public void Begin(Connection c)
    {
        if (c.Member.ClusterRequests.Begin(_time.GetTimestamp()))
        {
            _watch.Enqueue((c, c.Member.ClusterRequests.Since));
        }
    }

    /// <summary>The connection's JOIN of <paramref name="room"/> is being published.</summary>
    public void Joining(Connection c, Room room) => _joining[c] = room;

    /// <summary>Its JOIN came back, failed, or the connection is done: no room to leave again.</summary>
    public void JoinEnded(Connection c) => _joining.Remove(c);

    /// <summary>
    /// The oldest connection whose requests are stuck, its requests abandoned, and the room of its JOIN on
    /// the way if any; false when none is. Only the head can be overdue.
    /// </summary>
    public bool TryTakeStuck(out Connection c, out Room? joining)
    {
        long now = _time.GetTimestamp();
        while (_watch.TryPeek(out var head))
        {
            var (watched, since) = head;
            bool current = watched.Member.ClusterRequests.Any && watched.Member.ClusterRequests.Since == since;
            if (current && now - since < _stuckTicks)
            {
                break;
            }

            _watch.Dequeue();
            if (current)
            {
                watched.Member.ClusterRequests.Abandon();
                _joining.Remove(watched, out joining);
                c = watched;
                return true;
            }
        }

        c = null!;
        joining = null;
        return false;
    }
}
