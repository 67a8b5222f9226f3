using System.Net.Sockets;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Rooms;
using NLog;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// The one place connections end. Code that wants a connection gone marks it (<see cref="Connection.MarkClosing"/>);
/// here it leaves its rooms (the notices go out in the same tick's flush), then - once its queue is empty and the
/// client has closed too, or its grace time has run out - it leaves the poller and its socket is disposed.
/// </summary>
internal sealed class Closer
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ReactorClock _clock;
    private readonly TickWork _work;
    private readonly ServerStats _stats;
    private readonly CommandHandler _handler;
    private readonly ConnectionList _connections;
    private readonly InterestTracker _interest;
    private readonly FlowControl _flow;
    private readonly Deadlines _deadlines;
    private readonly long _graceTicks;

    public Closer(ServerSettings settings, ReactorClock clock, TickWork work, ServerStats stats, CommandHandler handler,
        ConnectionList connections, InterestTracker interest, FlowControl flow, Deadlines deadlines)
    {
        _clock = clock;
        _work = work;
        _stats = stats;
        _handler = handler;
        _connections = connections;
        _interest = interest;
        _flow = flow;
        _deadlines = deadlines;
        _graceTicks = clock.Ticks(settings.CloseGrace);
    }

    /// <summary>Connections marked for closing leave their rooms now, so the notices go out in this tick's flush.</summary>
    public void RetireClosing()
    {
        // By index: retiring one can close another (its queue overflows with the notices), which is retired too.
        var closing = _work.Closing;
        for (int i = 0; i < closing.Count; i++)
        {
            Retire(closing[i]);
        }
    }

    /// <summary>
    /// A draining connection has its sending side shut once its queue is empty, and is closed when the client
    /// closes too, or when the grace time runs out.
    /// </summary>
    public void CloseFinished()
    {
        var closing = _work.Closing;
        long now = _clock.Now;
        for (int n = closing.Count; n > 0 && closing.TryDequeue(out var c); n--)
        {
            Retire(c);
            // In a cluster its own "has left" notices come back from the backplane before its sending side shuts.
            if (!c.CloseHard && c.Member.Retired && c.Outbound.IsEmpty && !c.SendShutDown)
            {
                c.ShutdownSend();
            }

            bool done = c.CloseHard || (c.Member.Retired && c.Outbound.IsEmpty && c.PeerClosed) || now >= c.DrainDeadline;
            if (done)
            {
                Close(c);
            }
            else
            {
                _interest.MayChange(c);
                closing.Enqueue(c);
            }
        }
    }

    /// <summary>The server stops: every client is given what is queued for it, if its socket takes it at once, and closed.</summary>
    public void CloseAll()
    {
        foreach (var c in _connections.ToArray())
        {
            if (!c.CloseHard && !c.Outbound.IsEmpty)
            {
                c.Socket.Send(c.Outbound.Array!, c.Outbound.Start, c.Outbound.Length, SocketFlags.None, out _);
            }

            c.MarkClosing("server stopping", hard: true);
            Close(c);
        }

        _work.Closing.Clear();
        _work.Dirty.Clear();
    }

    private void Retire(Connection c)
    {
        if (!c.Member.RetireStarted)
        {
            _handler.Retire(c);
            c.StartCloseGrace(_clock.Now + _graceTicks);
            _deadlines.Add(c, DeadlineKind.CloseGrace, c.DrainDeadline);
        }
    }

    private void Close(Connection c)
    {
        _connections.Remove(c);
        _interest.Unwatch(c);
        c.Socket.Dispose();
        c.Reader.Dispose();
        c.Outbound.Clear();
        c.MarkClosed();
        _flow.SetLagging(c, false);
        _stats.Clients = _connections.Count;
        Log.Info("Connection {Id} from {Remote} closed: {Reason}", c.Id, c.Remote, c.CloseReason);
    }
}
