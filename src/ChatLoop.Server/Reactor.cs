using System.Net.Sockets;
using ChatLoop.Protocol;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Polling;
using NLog;

namespace ChatLoop.Server;

/// <summary>
/// The server's one thread: wait for events (the poller: Select or epoll) on the listener and every
/// client, then accept, read, timers, retire, flush, close. It alone owns every connection, room and
/// buffer, so nothing locks.
/// </summary>
internal sealed partial class Reactor : IServerControl, IDisposable
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ServerSettings _settings;
    private readonly Socket _listener;
    private readonly Wakeup _wakeup = new();
    private readonly TimeProvider _time;
    private readonly TickWork _work = new();
    private readonly ServerStats _stats = new();
    private readonly CommandHandler _handler;
    private readonly ClusterSequencer? _cluster;
    private readonly ReaderLimits _limits;
    private readonly IPoller _poller;
    private readonly List<Connection> _connections = [];
    private readonly ConnectionQueue _idleWatch = new(ConnectionQueues.IdleWatch);
    private readonly byte[] _receiveBuffer;
    private readonly BufferPool _pool = new();
    private readonly long _idleTicks;
    private readonly long _sweepTicks;
    private readonly long _drainTicks;
    private readonly long _probeTicks;
    private readonly long _maxLagTicks;
    private string? _stopReason;
    private long _nextConnectionId = 1;
    private long _nextSweep;

    // While accepting is paused after a failed accept: when it resumes; else 0.
    private long _acceptPausedUntil;

    public Reactor(ServerSettings settings, Socket listener, int port, TimeProvider time)
    {
        _settings = settings;
        _listener = listener;
        _time = time;
        try
        {
            _poller = PollerFactory.Create(settings.Poller, listener, _wakeup.Socket);
            _stats.Poller = settings.Poller;
            _receiveBuffer = new byte[settings.ReceiveBufferBytes];
            _limits = new ReaderLimits(settings.MaxLineBytes, settings.MaxRequestBytes);
            _handler = new CommandHandler(settings, _stats, this, _work) { Port = port };
            _cluster = JoinCluster();
        }
        catch
        {
            // No reactor comes of it (Redis unreachable, no epoll): the poller's descriptor and the wake-up pair go now.
            _poller?.Dispose();
            _wakeup.Dispose();
            throw;
        }

        _idleTicks = ToTicks(settings.MessageIdle);
        _drainTicks = ToTicks(settings.DrainWindow);
        _probeTicks = Math.Max(1, _drainTicks / 4);
        _maxLagTicks = ToTicks(settings.MaxLag);
        var shortest = new[] { settings.RequestTimeout, settings.JoinTimeout, settings.CloseGrace, settings.MaxLag }.Min();
        _sweepTicks = ToTicks(TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 4, 5, 1000)));
    }

    /// <summary>Why the loop ended, once it has.</summary>
    public string? StopReason => Volatile.Read(ref _stopReason);

    public void Run()
    {
        Log.Info("ChatLoop listening on {Endpoint}", _listener.LocalEndPoint);
        while (StopReason is null)
        {
            _work.BeginTick();
            WaitForEvents();
            AcceptConnections();
            ReadConnections();
            ApplyClusterEvents();
            RunTimers();
            ServeInput();
            RetireClosing();
            FlushOutput();
            ResumeHeldInput();
            CloseFinished();
            SendClusterBatch();
            PublishStats();
        }

        CloseEverything();
    }

    /// <summary>Any thread: end the loop after the current tick.</summary>
    public void RequestShutdown(string reason)
    {
        Interlocked.CompareExchange(ref _stopReason, reason, null);
        _wakeup.Signal();
    }

    public void Dispose()
    {
        _cluster?.Dispose();
        _poller.Dispose();
        _wakeup.Dispose();
    }

    private long Now => _time.GetTimestamp();

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void ReadConnections()
    {
        if (_poller.Ready.Wakeup)
        {
            _wakeup.Drain();
        }

        foreach (var c in _poller.Ready.Readable)
        {
            try
            {
                ReadFrom(c);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Faulted(c, e);
            }
        }
    }

    private void ReadFrom(Connection c)
    {
        int n = c.Socket!.Receive(_receiveBuffer, 0, _receiveBuffer.Length, SocketFlags.None, out var error);
        _stats.Receives++;
        if (error == SocketError.WouldBlock)
        {
            return;
        }

        if (error != SocketError.Success)
        {
            LostPeer(c, error);
            return;
        }

        if (n == 0)
        {
            // EOF ends a last line sent without its line end, and an open CHAT body (PROTOCOL.md §1): what
            // they complete is served, after what came before, in its turn, which then closes it.
            c.PeerClosed = true;
            if (c.IsOpen)
            {
                Schedule(c);
            }

            return;
        }

        _stats.BytesIn += n;
        if (c.IsOpen)
        {
            c.Reader.Append(_receiveBuffer.AsSpan(0, n));
            Schedule(c);
        }
    }

    private void LostPeer(Connection c, SocketError error)
    {
        if (SocketErrors.IsOrdinaryDisconnect(error))
        {
            Log.Debug("Connection {Id} from {Remote}: {Error}", c.Id, c.Remote, error);
        }
        else
        {
            Log.Warn("Connection {Id} from {Remote}: unexpected socket error {Error}", c.Id, c.Remote, error);
        }

        c.Outbound.Clear();
        c.MarkClosing(SocketErrors.Describe(error), hard: true);
    }

    /// <summary>An exception while serving one connection closes that connection, never the loop.</summary>
    private void Faulted(Connection c, Exception e)
    {
        _stats.CountCutOff(CutOffReason.InternalError);
        Log.Error(e, "Connection {Id} from {Remote}: internal error; closing it", c.Id, c.Remote);
        c.Outbound.Clear();
        c.MarkClosing("internal error: " + e.GetType().Name, hard: true);
    }
}
