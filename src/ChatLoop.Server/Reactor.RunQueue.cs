using ChatLoop.Protocol;

namespace ChatLoop.Server;

/// <summary>
/// Serving input fairly. Every connection with input to serve - fresh from a read, ended by the message idle
/// time, or held earlier and free to go on - joins one run queue, and every request reaches the handler
/// through <see cref="Turn"/>. A turn serves requests until they have queued a quantum of output
/// (deficit round robin: a turn that overdraws pays it back in the next), then the connection goes to the
/// back. The tick stops taking turns once it has queued its budget, and the rest wait in order for the next.
/// A connection whose next request must wait (<see cref="MustWait"/>) is held: not read, not served, until
/// the end-of-tick check lets it go on, first held first.
/// </summary>
internal sealed partial class Reactor
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

    /// <summary>The connection has input to serve; it waits for its turn unless it is held already.</summary>
    private void Schedule(Connection c)
    {
        if (!_held.Contains(c))
        {
            _runQueue.Enqueue(c);
        }

        InterestMayChange(c);
    }

    /// <summary>Takes turns until no input is left to serve or this tick has queued its budget.</summary>
    private void ServeInput()
    {
        while (_work.BytesQueued < _settings.TickBudgetBytes && _runQueue.TryDequeue(out var c))
        {
            try
            {
                Turn(c);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Faulted(c, e);
            }
        }
    }

    /// <summary>The one path from a connection's input to the handler.</summary>
    private void Turn(Connection c)
    {
        c.Deficit += TurnQuantumBytes;
        bool completed = false;
        bool pending = true;
        while (c.IsOpen)
        {
            if (MustWait(c))
            {
                _held.Enqueue(c);
                break;
            }

            if (c.Deficit <= 0)
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
            c.Deficit -= RequestCostBytes + (_work.BytesQueued - queued);
            if (_work.Behind.Count > 0)
            {
                NoteBehind();
            }
        }

        if (c.IsOpen)
        {
            EndTurn(c, completed, pending);
        }

        InterestMayChange(c);
    }

    private static bool NextRequest(Connection c, out Request request)
    {
        if (c.Reader.TryRead(out request))
        {
            return true;
        }

        // The message idle time passed, or the client closed its side: a last line without its line end, and
        // an open CHAT body, end here (PROTOCOL.md §1, §2.3); what else that completes comes from TryRead.
        bool silent = c.MessageEndDue;
        c.MessageEndDue = false;
        return c.PeerClosed ? c.Reader.TryEndInput(out request) : silent && c.Reader.TryEndIdleMessage(out request);
    }

    /// <summary>The timers' view of the connection once its turn is over.</summary>
    private void EndTurn(Connection c, bool completed, bool pending)
    {
        long now = Now;
        if (completed)
        {
            c.LastRequestAt = now;
        }

        if (pending)
        {
            // What is left waits on the server, not on the client: no unfinished-request clock meanwhile.
            c.UnfinishedSince = 0;
            return;
        }

        c.Deficit = 0;
        if (c.PeerClosed)
        {
            c.MarkClosing("client closed the connection", hard: false);
            return;
        }

        if (completed || !c.Reader.HasUnfinishedRequest)
        {
            c.UnfinishedSince = c.Reader.HasUnfinishedRequest ? now : 0;
        }
        else if (c.UnfinishedSince == 0)
        {
            c.UnfinishedSince = now;
        }

        if (_idleTicks > 0 && c.Reader.IsAwaitingMessageEnd)
        {
            c.MessageIdleSince = now;
            _idleWatch.Enqueue(c);
        }
    }

    /// <summary>End of the tick, after the flush: held connections whose requests may go on join the run queue, in the order they were held.</summary>
    private void ResumeHeldInput()
    {
        for (int n = _held.Count; n > 0 && _held.TryDequeue(out var c); n--)
        {
            if (!c.IsOpen)
            {
                continue;
            }

            if (MustWait(c))
            {
                _held.Enqueue(c);
            }
            else
            {
                _runQueue.Enqueue(c);
                InterestMayChange(c);
            }
        }

        _stats.HeldClients = _held.Count;
    }
}
