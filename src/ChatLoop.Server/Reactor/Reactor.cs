using System.Net.Sockets;
using ChatLoop.Server.Cluster;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Polling;
using ChatLoop.Server.Rooms;
using NLog;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// The server's one thread: wait for events (the poller: Select or epoll) on the listener and every client,
/// then accept, read, apply, time out, serve, retire, flush, resume, close, publish - each step owned by a
/// small collaborator that keeps its own state. It alone touches every connection, room and buffer, so
/// nothing locks. (A cluster node's own steps are in ClusterSteps.)
/// </summary>
internal sealed class Reactor : IServerControl, IDisposable
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly Socket _listener;
    private readonly Wakeup _wakeup = new();
    private readonly ReactorClock _clock;
    private readonly TickWork _work = new();
    private readonly ServerStats _stats;
    private readonly ConnectionList _connections = new();
    private readonly Deadlines _deadlines = new();
    private readonly CommandHandler _handler;
    private readonly ClusterSteps _cluster;
    private readonly IPoller _poller;
    private readonly InterestTracker _interest;
    private readonly Timeouts _timeouts;
    private readonly FlowControl _flow;
    private readonly InputScheduler _input;
    private readonly Receiver _receiver;
    private readonly Acceptor _acceptor;
    private readonly Flusher _flusher;
    private readonly Closer _closer;
    private readonly StatsPublisher? _publisher;

    /// <summary>
    /// The longest the poller waits with nothing due. Checks that keep no deadline here (the cluster's stuck
    /// requests) run once a tick, so an idle loop still ticks this often: a quarter of the shortest timeout.
    /// </summary>
    private readonly long _maxWaitTicks;
    private string? _stopReason;

    public Reactor(ServerSettings settings, Socket listener, int port, TimeProvider time)
    {
        _listener = listener;
        _clock = new ReactorClock(time);
        _stats = new ServerStats(time);
        try
        {
            _poller = PollerFactory.Create(settings.Poller, listener, _wakeup.Socket);
            _stats.Poller = settings.Poller;
            _handler = new CommandHandler(settings, _stats, this, _work) { Port = port };
            _cluster = ClusterSteps.Join(settings, _handler, _stats, _wakeup, _clock, time);
        }
        catch
        {
            // No reactor comes of it (Redis unreachable, no epoll): the poller's descriptor and the wake-up pair go now.
            _poller?.Dispose();
            _wakeup.Dispose();
            throw;
        }

        var faults = new Faults(_stats);
        _interest = new InterestTracker(_poller, settings);
        _timeouts = new Timeouts(settings, _deadlines, _handler, _clock);
        _flow = new FlowControl(settings, _clock, _work, _stats, _timeouts);
        _input = new InputScheduler(settings, _clock, _work, _stats, _handler, _flow, _interest, _deadlines, _timeouts, faults);
        _receiver = new Receiver(settings, _stats, _input, faults);
        _acceptor = new Acceptor(settings, listener, _poller, _clock, _work, _stats, _handler, _connections, _interest, _timeouts);
        _flusher = new Flusher(_clock, _work, _stats, _flow, _interest, _timeouts);
        _closer = new Closer(settings, _clock, _work, _stats, _handler, _connections, _interest, _flow, _deadlines);
        _publisher = settings.MetricsPort is null ? null : new StatsPublisher(_stats, ToTicks(StatsPublisher.Interval));
        _maxWaitTicks = ToTicks(Timeouts.ReleaseAfter(settings));
    }

    /// <summary>Why the loop ended, once it has.</summary>
    public string? StopReason => Volatile.Read(ref _stopReason);

    /// <summary>Any thread: the figures as last published (null before the first tick, or with metrics off).</summary>
    public StatsSnapshot? PublishedStats => _publisher?.Published;

    /// <summary>The cluster side of this node, or null on a single node (for tests: read it only after the reactor answered).</summary>
    internal ClusterSequencer? Cluster => _cluster.Sequencer;

    private long Now => _clock.Now;

    public void Run()
    {
        Log.Info("ChatLoop listening on {Endpoint}", _listener.LocalEndPoint);
        while (StopReason is null)
        {
            _work.BeginTick();
            WaitForEvents();
            _acceptor.AcceptAll();
            ReadConnections();
            _cluster.ApplyEvents();
            RunDeadlines();
            _input.Serve();
            _closer.RetireClosing();
            _flusher.FlushAll();
            _input.ResumeHeld();
            _closer.CloseFinished();
            _cluster.SendBatch();
            _publisher?.PublishIfDue(Now, _handler.Rooms.Count, _connections);
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
        _cluster.Dispose();
        _poller.Dispose();
        _wakeup.Dispose();
    }

    private long ToTicks(TimeSpan span) => _clock.Ticks(span);

    /// <summary>Tells the poller what changed, waits until something is ready or the next deadline, notes writable sockets.</summary>
    private void WaitForEvents()
    {
        _interest.Apply();
        long start = Now;
        _poller.Wait(PollTimeoutMs(start));
        _stats.Selects++;
        _stats.SelectTicks += _clock.Between(start, Now).Ticks;
        foreach (var c in _poller.Ready.Writable)
        {
            c.NoteWritable();
        }
    }

    /// <summary>
    /// Until the nearest deadline, in whole milliseconds, never under 1 ms (Select would spin; epoll_wait counts
    /// in ms too) nor over the longest wait; zero when input waits in the run queue. No connection is visited.
    /// </summary>
    private int PollTimeoutMs(long now)
    {
        if (_input.HasRunnable)
        {
            return 0;
        }

        long next = Math.Min(Math.Min(_deadlines.Next, _flow.NextTimer), Math.Min(_acceptor.ResumeAt, now + _maxWaitTicks));
        if (_publisher is not null)
        {
            next = Math.Min(next, _publisher.NextAt);
        }

        return (int)Math.Clamp(_clock.MillisecondsUntil(next, now), 1, 1000);
    }

    private void ReadConnections()
    {
        if (_poller.Ready.Wakeup)
        {
            _wakeup.Drain();
        }

        _receiver.ReadAll(_poller.Ready);
    }

    /// <summary>The deadlines due now, each to its owner: timeouts, message idle; a close grace only wakes the loop.</summary>
    private void RunDeadlines()
    {
        long now = Now;
        while (_deadlines.TryTakeDue(now, out var c, out var kind, out long at))
        {
            switch (kind)
            {
                case DeadlineKind.Timeouts: _timeouts.Expire(c, at, now); break;
                case DeadlineKind.MessageIdle: _input.MessageIdleExpired(c, at, now); break;
                case DeadlineKind.CloseGrace: break;
            }
        }
    }

    /// <summary>KILL_SERVICE, Ctrl-C and SIGTERM end here: stop accepting, give every client what is queued for it, close all.</summary>
    private void CloseEverything()
    {
        _listener.Dispose();
        _cluster.Leave(_connections, _handler);
        _closer.CloseAll();
        _deadlines.Clear();
        Log.Info("ChatLoop stopped: {Reason}", StopReason);
    }
}
