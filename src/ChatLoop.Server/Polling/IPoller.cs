using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Polling;

/// <summary>
/// "Wait for events", behind one small seam (as Redis's ae.c back ends and Python's selectors): the reactor
/// says what it wants to hear about each connection when that changes, and asks what is ready once a tick.
/// The listener and the wake-up socket are watched by the same poller. Reactor thread only.
/// </summary>
internal interface IPoller : IDisposable
{
    PollerKind Kind { get; }

    /// <summary>Filled by <see cref="Wait"/>, valid until the next wait.</summary>
    PollEvents Ready { get; }

    /// <summary>Starts watching a new connection (sets its <see cref="Connection.PollToken"/>).</summary>
    void Add(Connection c, Interest interest);

    /// <summary>Changes what is watched for; costs nothing when it is what is watched already.</summary>
    void Change(Connection c, Interest interest);

    /// <summary>Stops watching; call before the socket is closed.</summary>
    void Remove(Connection c);

    /// <summary>Whether the listener is watched (off while accepting is paused).</summary>
    void WatchListener(bool accepting);

    /// <summary>Waits up to <paramref name="timeoutMs"/> (0: just look) and fills <see cref="Ready"/>.</summary>
    void Wait(int timeoutMs);
}
