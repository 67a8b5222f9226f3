using System.Net.Sockets;
using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// Serving input fairly. Every connection with input to serve - fresh from a read, ended by the message idle
/// time, or held earlier and free to go on - joins one run queue, and every request reaches the handler
/// through <see cref="Turn"/>. A turn serves requests until they have queued a quantum of output
/// (deficit round robin: a turn that overdraws pays it back in the next), then the connection goes to the
/// back. The tick stops taking turns once it has queued its budget, and the rest wait in order for the next.
/// A connection whose next request must wait (<see cref="FlowControl.MustWait"/>) is held: not read, not
/// served, until the end-of-tick check lets it go on, first held first.
/// It also keeps the message idle time (PROTOCOL.md §1, §2.3): once no byte has come for that long from a
/// connection whose reader has something the silence would end, it joins the run queue to have that ended.
/// </summary>
internal sealed class InputScheduler
{
    /// <summary>
    /// Output bytes a turn may cause: about one Receive's worth of chat fanned out to a small room, so a
    /// connection usually finishes its input in one turn, while a sender into a big room takes a few requests
    /// at a time and others get turns between.
    /// </summary>
    private const int TurnQuantumBytes = 64 * 1024;

    /// <summary>What a request counts in the round robin besides the broadcast bytes it queues (replies, parsing).</summary>
    private const int RequestCostBytes = 256;

    private readonly ConnectionQueue _runQueue = new(ConnectionQueues.Run);
    private readonly ConnectionQueue _held = new(ConnectionQueues.Held);
    private readonly long _tickBudgetBytes;
    private readonly long _idleTicks;
    private readonly ReactorClock _clock;
    private readonly TickWork _work;
    private readonly ServerStats _stats;
    private readonly CommandHandler _handler;
    private readonly FlowControl _flow;
    private readonly InterestTracker _interest;
    private readonly Deadlines _deadlines;
    private readonly Timeouts _timeouts;
    private readonly Faults _faults;

    public InputScheduler(ServerSettings settings, ReactorClock clock, TickWork work, ServerStats stats, CommandHandler handler,
        FlowControl flow, InterestTracker interest, Deadlines deadlines, Timeouts timeouts, Faults faults)
    {
        _tickBudgetBytes = settings.TickBudgetBytes;
        _idleTicks = clock.Ticks(settings.MessageIdle);
        _clock = clock;
        _work = work;
        _stats = stats;
        _handler = handler;
        _flow = flow;
        _interest = interest;
        _deadlines = deadlines;
        _timeouts = timeouts;
        _faults = faults;
    }

    /// <summary>Input waits in the run queue: the poller must not wait.</summary>
    public bool HasRunnable => _runQueue.Count > 0;

    /// <summary>The connection has input to serve; it waits for its turn unless it is held already.</summary>
    public void Schedule(Connection c)
    {
        if (!_held.Contains(c))
        {
            _runQueue.Enqueue(c);
        }

        _interest.MayChange(c);
    }

    /// <summary>Takes turns until no input is left to serve or this tick has queued its budget.</summary>
    public void Serve()
    {
        while (_work.BytesQueued < _tickBudgetBytes && _runQueue.TryDequeue(out var c))
        {
            try
            {
                Turn(c);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _faults.Faulted(c, e);
            }
        }
    }

    /// <summary>End of the tick, after the flush: held connections whose requests may go on join the run queue, in the order they were held.</summary>
    public void ResumeHeld()
    {
        for (int n = _held.Count; n > 0 && _held.TryDequeue(out var c); n--)
        {
            if (!c.IsOpen)
            {
                continue;
            }

            if (_flow.MustWait(c))
            {
                _held.Enqueue(c);
            }
            else
            {
                _runQueue.Enqueue(c);
                _interest.MayChange(c);
            }
        }

        _stats.HeldClients = _held.Count;
    }

    /// <summary>
    /// Its message idle deadline came due. Input waiting on the server (held, or in the run queue) is not
    /// silence from the client: the time counts again once it has been served (<see cref="EndTurn"/>).
    /// </summary>
    public void MessageIdleExpired(Connection c, long at, long now)
    {
        if (!c.LiveDeadlines.TryTake(DeadlineKind.MessageIdle, at) || !c.IsOpen || !c.Reader.IsAwaitingMessageEnd || (c.Queues & (ConnectionQueues.Run | ConnectionQueues.Held)) != 0)
        {
            return;
        }

        if (now - c.Input.MessageIdleSince < _idleTicks)
        {
            WatchIdle(c);
            return;
        }

        // Bytes waiting unread (a client over the backpressure mark is not read) are further bytes: it is
        // watched again once they are read. The syscall only once the time is up.
        if (HasUnreadBytes(c))
        {
            return;
        }

        c.Input.MessageEndCameDue();
        Schedule(c);
    }

    /// <summary>The one path from a connection's input to the handler.</summary>
    private void Turn(Connection c)
    {
        c.Input.BeginTurn(TurnQuantumBytes);
        bool completed = false;
        bool pending = true;
        while (c.IsOpen)
        {
            if (_flow.MustWait(c))
            {
                _held.Enqueue(c);
                break;
            }

            if (c.Input.Deficit <= 0)
            {
                _runQueue.Enqueue(c);
                break;
            }

            if (!NextRequest(c, out var request))
            {
                pending = false;
                break;
            }

            long queued = _work.BytesQueued;
            _handler.Handle(c, request);
            completed = true;
            c.Input.Charge(RequestCostBytes + (_work.BytesQueued - queued));
            if (_work.Behind.Count > 0)
            {
                _flow.NoteBehind();
            }
        }

        if (c.IsOpen)
        {
            EndTurn(c, completed, pending);
        }

        _interest.MayChange(c);
    }

    private static bool NextRequest(Connection c, out Request request)
    {
        if (c.Reader.TryRead(out request))
        {
            return true;
        }

        // The message idle time passed, or the client closed its side: a last line without its line end, and
        // an open CHAT body, end here (PROTOCOL.md §1, §2.3); what else that completes comes from TryRead.
        bool silent = c.Input.TakeMessageEnd();
        return c.PeerClosed ? c.Reader.TryEndInput(out request) : silent && c.Reader.TryEndIdleMessage(out request);
    }

    /// <summary>The timers' view of the connection once its turn is over.</summary>
    private void EndTurn(Connection c, bool completed, bool pending)
    {
        long now = _clock.Now;
        if (completed)
        {
            c.Input.Served(now);
        }

        if (pending)
        {
            c.Input.WaitsOnServer();
            return;
        }

        c.Input.InputUsedUp();
        if (c.PeerClosed)
        {
            c.MarkClosing("client closed the connection", hard: false);
            return;
        }

        if (c.Input.TrackUnfinished(completed, c.Reader.HasUnfinishedRequest, now))
        {
            _timeouts.ClockStarted(c);
        }

        if (_idleTicks > 0 && c.Reader.IsAwaitingMessageEnd)
        {
            c.Input.SilenceFrom(now);
            WatchIdle(c);
        }
    }

    /// <summary>A deadline at the end of its message idle time, unless one as early is there already.</summary>
    private void WatchIdle(Connection c)
    {
        long due = c.Input.MessageIdleSince + _idleTicks;
        if (c.LiveDeadlines.TryBook(DeadlineKind.MessageIdle, due))
        {
            _deadlines.Add(c, DeadlineKind.MessageIdle, due);
        }
    }

    private static bool HasUnreadBytes(Connection c)
    {
        try
        {
            return c.Socket.Available > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
