using System.Net;
using System.Net.Sockets;
using ChatLoop.Server.Cluster;
using ChatLoop.Server.Metrics;

namespace ChatLoop.Server;

/// <summary>The server as a whole: binds, runs the reactor on its own thread, stops on request.</summary>
public sealed class ChatServer : IDisposable
{
    private readonly ServerSettings _settings;
    private readonly TimeProvider _time;
    private Reactor.Reactor? _reactor;
    private Thread? _thread;
    private MetricsEndpoint? _metrics;

    public ChatServer(ServerSettings settings, TimeProvider? time = null)
    {
        _settings = settings;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The listening port, once started.</summary>
    public int Port { get; private set; }

    /// <summary>Where /metrics is served, once started with a metrics port; null otherwise.</summary>
    public IPEndPoint? MetricsEndPoint => _metrics?.EndPoint;

    /// <summary>Why the server stopped (KILL_SERVICE, a signal, Stop), once it has.</summary>
    public string? StopReason => _reactor?.StopReason;

    /// <summary>The cluster side of the running node, or null (for tests).</summary>
    internal ClusterSequencer? Cluster => _reactor?.Cluster;

    /// <summary>Binds and listens (a port in use throws <see cref="SocketException"/> here), then starts the reactor thread.</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        var listener = new Socket(_settings.Bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_settings.Bind.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(new IPEndPoint(_settings.Bind, _settings.Port));
            listener.Blocking = false;
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        try
        {
            // A cluster node connects to Redis here, and an epoll poller is made: either failing, it throws and nothing is left listening.
            _reactor = new Reactor.Reactor(_settings, listener, Port, _time);

            // Only now does the kernel take connections: a node whose Redis stops answering while it joins the
            // cluster exits without having accepted (and then reset) anyone; once it listens, a client is
            // always answered, with ERROR 12 while Redis is away.
            listener.Listen(_settings.ListenBacklog);
        }
        catch
        {
            _reactor?.Dispose();
            _reactor = null;
            listener.Dispose();
            throw;
        }

        StartMetrics(listener);
        _thread = new Thread(_reactor.Run) { Name = "chatloop-reactor", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Serves /metrics if asked to; a port in use stops the start with <see cref="MetricsPortException"/>.</summary>
    private void StartMetrics(Socket listener)
    {
        if (_settings.MetricsPort is not { } port)
        {
            return;
        }

        var reactor = _reactor!;
        try
        {
            _metrics = new MetricsEndpoint(_settings.MetricsBind, port, new MetricsExporter(() => reactor.PublishedStats), _time);
        }
        catch (SocketException e)
        {
            reactor.Dispose();
            listener.Dispose();
            _reactor = null;
            string message = e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"metrics port {port} is already in use on {_settings.MetricsBind}"
                : $"cannot serve metrics on {_settings.MetricsBind}:{port}: {e.Message}";
            throw new MetricsPortException(message, e);
        }
    }

    /// <summary>Any thread: ask the server to stop; returns at once.</summary>
    public void RequestStop(string reason) => _reactor?.RequestShutdown(reason);

    /// <summary>Stops the server and waits for the reactor thread to end.</summary>
    public void Stop()
    {
        RequestStop("stopped");
        _thread?.Join();
    }

    /// <summary>True once the reactor thread has ended (after KILL_SERVICE or a stop).</summary>
    public bool WaitForExit(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    public void Dispose()
    {
        Stop();
        _metrics?.Dispose();
        _reactor?.Dispose();
    }
}
