using System.Net.Sockets;
using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Polling;
using ChatLoop.Server.Rooms;
using NLog;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// Accepting: several connections per tick, bounded; each made non-blocking, watched and added. A failed
/// accept (out of file descriptors) pauses accepting for a while rather than spin on a readable listener.
/// </summary>
internal sealed class Acceptor
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ServerSettings _settings;
    private readonly Socket _listener;
    private readonly IPoller _poller;
    private readonly ReactorClock _clock;
    private readonly TickWork _work;
    private readonly ServerStats _stats;
    private readonly CommandHandler _handler;
    private readonly ConnectionList _connections;
    private readonly InterestTracker _interest;
    private readonly Timeouts _timeouts;
    private readonly ReaderLimits _limits;
    private readonly BufferPool _pool = new();
    private long _nextConnectionId = 1;

    public Acceptor(ServerSettings settings, Socket listener, IPoller poller, ReactorClock clock, TickWork work, ServerStats stats,
        CommandHandler handler, ConnectionList connections, InterestTracker interest, Timeouts timeouts)
    {
        _settings = settings;
        _listener = listener;
        _poller = poller;
        _clock = clock;
        _work = work;
        _stats = stats;
        _handler = handler;
        _connections = connections;
        _interest = interest;
        _timeouts = timeouts;
        _limits = new ReaderLimits(settings.MaxLineBytes, settings.MaxRequestBytes);
    }

    /// <summary>While accepting is paused after a failed accept: when it resumes; else <see cref="long.MaxValue"/>.</summary>
    public long ResumeAt { get; private set; } = long.MaxValue;

    public void AcceptAll()
    {
        if (ResumeAt != long.MaxValue && _clock.Now >= ResumeAt)
        {
            ResumeAt = long.MaxValue;
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
                Log.Warn("Accept failed ({Error}); pausing accepts for {Pause} ms", e.SocketErrorCode, _settings.AcceptPause.TotalMilliseconds);
                ResumeAt = _clock.Now + _clock.Ticks(_settings.AcceptPause);
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
        var c = new Connection(_nextConnectionId++, socket, socket.RemoteEndPoint, _work, _limits, _settings.MaxOutboundBytes, _settings.BackpressureBytes, _clock.Now, _pool);
        try
        {
            _interest.Watch(c);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Warn(e, "Connection {Id} from {Remote} cannot be watched; closing it", c.Id, c.Remote);
            socket.Dispose();
            c.Reader.Dispose();
            return;
        }

        _connections.Add(c);
        _timeouts.Admitted(c);
        _stats.Accepted++;
        _stats.Clients = _connections.Count;
        Log.Info("Connection {Id} opened from {Remote}", c.Id, c.Remote);
        if (_connections.Count > _settings.MaxClients)
        {
            _handler.Fail(c, ErrorCode.ServerFull, $"server full: {_settings.MaxClients} clients");
        }
    }
}
