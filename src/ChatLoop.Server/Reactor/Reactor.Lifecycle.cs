using System.Net.Sockets;
using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using NLog;

namespace ChatLoop.Server.Reactor;

/// <summary>The reactor's steps that begin and end connections: accept, timers, retire, flush and close.</summary>
internal sealed partial class Reactor
{
    private void AcceptConnections()
    {
        if (_acceptPausedUntil != 0 && Now >= _acceptPausedUntil)
        {
            _acceptPausedUntil = 0;
            _poller.WatchListener(true);
        }

        if (!_poller.Ready.Listener)
        {
            return;
        }

        for (int i = 0; i < _settings.AcceptsPerTick; i++)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors: pause accepting briefly rather than spin on a readable listener.
                Log.Warn("Accept failed ({Error}); pausing accepts for {Pause} ms", e.SocketErrorCode, _settings.AcceptPause.TotalMilliseconds);
                _acceptPausedUntil = Now + ToTicks(_settings.AcceptPause);
                _poller.WatchListener(false);
                return;
            }

            Admit(socket);
        }
    }

    private void Admit(Socket socket)
    {
        socket.Blocking = false;
        socket.NoDelay = true;
        var c = new Connection(_nextConnectionId++, socket, socket.RemoteEndPoint, _work, _limits, _settings.MaxOutboundBytes, _settings.BackpressureBytes, Now, _pool)
        {
            Slot = _connections.Count,
        };
        try
        {
            _poller.Add(c, InterestOf(c));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Warn(e, "Connection {Id} from {Remote} cannot be watched; closing it", c.Id, c.Remote);
            socket.Dispose();
            c.Reader.Dispose();
            return;
        }

        _connections.Add(c);
        _stats.Accepted++;
        _stats.Clients = _connections.Count;
        Log.Info("Connection {Id} opened from {Remote}", c.Id, c.Remote);
        if (_connections.Count > _settings.MaxClients)
        {
            _handler.Fail(c, ErrorCode.ServerFull, $"server full: {_settings.MaxClients} clients");
        }
    }

    private void RunTimers()
    {
        long now = Now;
        EndSilentInput(now);

        if (now >= _nextSweep)
        {
            Sweep(now);
            _nextSweep = now + _sweepTicks;
        }
    }

    /// <summary>The coarse timers: unfinished requests, connections that never join, idle buffers.</summary>
    private void Sweep(long now)
    {
        long requestTimeout = ToTicks(_settings.RequestTimeout);
        long joinTimeout = ToTicks(_settings.JoinTimeout);
        foreach (var c in _connections)
        {
            if (!c.IsOpen)
            {
                continue;
            }

            if (c.LagSince != 0 && now - c.LagSince > _maxLagTicks)
            {
                _handler.Fail(c, ErrorCode.TooSlow, $"too slow: what was sent to this client has waited more than {_settings.MaxLag.TotalSeconds:0.###} s for it to read it");
            }
            else if (c.UnfinishedSince != 0 && now - c.UnfinishedSince > requestTimeout)
            {
                _handler.Fail(c, ErrorCode.Timeout, $"timeout: a request was left unfinished for {_settings.RequestTimeout.TotalSeconds:0.###} s");
            }
            else if (c.JoinId == 0 && now - c.LastRequestAt > joinTimeout)
            {
                _handler.Fail(c, ErrorCode.Timeout, $"timeout: no request and no JOIN_CHATROOM for {_settings.JoinTimeout.TotalSeconds:0.###} s");
            }
            else if (c.Outbound.IsEmpty && now - c.LastSendAt > _sweepTicks)
            {
                // A queue that grew is kept while the client is busy, and given back once it is idle.
                c.Outbound.ReleaseIfEmpty();
            }
        }
    }

    /// <summary>Connections marked for closing leave their rooms now, so the notices go out in this tick's flush.</summary>
    private void RetireClosing()
    {
        // By index: retiring one can close another (its queue overflows with the notices), which is retired too.
        var closing = _work.Closing;
        for (int i = 0; i < closing.Count; i++)
        {
            Retire(closing[i]);
        }
    }

    private void Retire(Connection c)
    {
        if (!c.RetireStarted)
        {
            _handler.Retire(c);
            c.DrainDeadline = Now + ToTicks(_settings.CloseGrace);
        }
    }

    /// <summary>
    /// One Send per connection with queued bytes; what the kernel does not take waits for the poller to say
    /// writable. Every connection whose queue changed passes here, so its interest is looked at again.
    /// </summary>
    private void FlushOutput()
    {
        var dirty = _work.Dirty;
        long now = Now;
        _nextFlowTimer = long.MaxValue;
        for (int n = dirty.Count; n > 0 && dirty.TryDequeue(out var c); n--)
        {
            if (c.State == ConnectionState.Closed || c.CloseHard)
            {
                c.Outbound.Clear();
                c.WriteBlocked = false;
            }
            else if (!c.Outbound.IsEmpty && (!c.WriteBlocked || ProbeDue(c, now)))
            {
                Send(c);
            }

            TrackFlow(c, now);
            InterestMayChange(c);
            if (!c.Outbound.IsEmpty)
            {
                dirty.Enqueue(c);
            }
        }

        // Every connection that crossed the mark has just been looked at.
        _work.Behind.Clear();
    }

    private void Send(Connection c)
    {
        var outbound = c.Outbound;
        int sent = c.Socket!.Send(outbound.Array!, outbound.Start, outbound.Length, SocketFlags.None, out var error);
        _stats.Sends++;
        if (error == SocketError.Success)
        {
            outbound.Consume(sent);
            _stats.BytesOut += sent;
            c.LastSendAt = Now;
            c.WriteBlocked = !outbound.IsEmpty;
            if (outbound.IsEmpty && outbound.HoldsSmallBlock)
            {
                outbound.ReleaseIfEmpty();
            }
        }
        else if (error == SocketError.WouldBlock)
        {
            c.WriteBlocked = true;
        }
        else
        {
            LostPeer(c, error);
        }
    }

    /// <summary>
    /// The one place connections end. A draining connection has its sending side shut once its queue is
    /// empty, and is closed when the client closes too, or when the grace time runs out.
    /// </summary>
    private void CloseFinished()
    {
        var closing = _work.Closing;
        long now = Now;
        for (int n = closing.Count; n > 0 && closing.TryDequeue(out var c); n--)
        {
            Retire(c);
            // In a cluster its own "has left" notices come back from the backplane before its sending side shuts.
            if (!c.CloseHard && c.Retired && c.Outbound.IsEmpty && !c.SendShutDown)
            {
                ShutdownSend(c);
            }

            bool done = c.CloseHard || (c.Retired && c.Outbound.IsEmpty && c.PeerClosed) || now >= c.DrainDeadline;
            if (done)
            {
                Dispose(c);
            }
            else
            {
                InterestMayChange(c);
                closing.Enqueue(c);
            }
        }
    }

    private static void ShutdownSend(Connection c)
    {
        c.SendShutDown = true;
        try
        {
            c.Socket!.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
    }

    private void Dispose(Connection c)
    {
        var last = _connections[^1];
        _connections[c.Slot] = last;
        last.Slot = c.Slot;
        _connections.RemoveAt(_connections.Count - 1);
        _poller.Remove(c);
        c.Socket!.Dispose();
        c.Reader.Dispose();
        c.Outbound.Clear();
        c.MarkClosed();
        SetLagging(c, false);
        _stats.Clients = _connections.Count;
        Log.Info("Connection {Id} from {Remote} closed: {Reason}", c.Id, c.Remote, c.CloseReason);
    }

    /// <summary>KILL_SERVICE, Ctrl-C and SIGTERM end here: stop accepting, give every client what is queued for it, close all.</summary>
    private void CloseEverything()
    {
        _listener.Dispose();
        LeaveCluster();
        foreach (var c in _connections.ToArray())
        {
            if (!c.CloseHard && !c.Outbound.IsEmpty)
            {
                c.Socket!.Send(c.Outbound.Array!, c.Outbound.Start, c.Outbound.Length, SocketFlags.None, out _);
            }

            c.MarkClosing("server stopping", hard: true);
            Dispose(c);
        }

        _work.Closing.Clear();
        _work.Dirty.Clear();
        Log.Info("ChatLoop stopped: {Reason}", StopReason);
    }
}
