using System.Net;
using System.Net.Sockets;

namespace ChatLoop.Load;

/// <summary>
/// Opens non-blocking connections, each to its client's server, at the configured ramp, with a bounded number of connects and
/// joins in flight, and sends each one's JOIN_CHATROOM once it is connected.
/// </summary>
internal sealed class Connector
{
    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly double _rampPerSecond;
    private readonly int _parallel;
    private readonly ClientIo _io;
    private readonly LoopCounters _counters;
    private readonly double _secondsPerTick = 1.0 / System.Diagnostics.Stopwatch.Frequency;
    private SimClient[] _clients = [];
    private int _next;
    private long _stageStart;
    private long _resolvedAtBegin;

    public Connector(IReadOnlyList<IPEndPoint> servers, double rampPerSecond, int parallel, ClientIo io, LoopCounters counters)
    {
        _servers = servers;
        _rampPerSecond = rampPerSecond;
        _parallel = parallel;
        _io = io;
        _counters = counters;
    }

    public bool AllStarted => _next == _clients.Length;

    public void Begin(SimClient[] clients, long now)
    {
        _clients = clients;
        _next = 0;
        _stageStart = now;
        _resolvedAtBegin = _counters.ConnectsResolved;
    }

    public void Step(long now)
    {
        long limit = _clients.Length;
        if (_rampPerSecond > 0)
        {
            limit = Math.Min(limit, 1 + (long)(_rampPerSecond * (now - _stageStart) * _secondsPerTick));
        }

        while (_next < limit && InFlight() < _parallel)
        {
            Start(_clients[_next++], now);
        }
    }

    /// <summary>The socket reported writable or an error while connecting.</summary>
    public void OnConnectReady(SimClient c)
    {
        int code = (int)c.Socket!.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (code != 0)
        {
            _io.Close(c, $"connect failed: {(SocketError)code}");
            return;
        }

        c.State = ClientState.Joining;
        _io.Flush(c);
    }

    private long InFlight() => _next - (_counters.ConnectsResolved - _resolvedAtBegin);

    private void Start(SimClient c, long now)
    {
        var server = _servers[c.Node];
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, NoDelay = true };
        c.Socket = socket;
        c.State = ClientState.Connecting;
        c.ConnectTicks = now;
        try
        {
            socket.Connect(server);
            OnConnectReady(c);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // completes later: the loop selects it for writability
        }
        catch (SocketException e)
        {
            _io.Close(c, $"connect failed: {e.SocketErrorCode}");
        }
    }
}
