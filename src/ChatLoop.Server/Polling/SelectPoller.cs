using System.Net.Sockets;
using ChatLoop.Server.Connections;
using NLog;

namespace ChatLoop.Server.Polling;

/// <summary>
/// Socket.Select, which on Linux is poll(): the read and write lists are rebuilt from reused lists every
/// wait (Select filters them in place), so each wait costs time in proportion to every watched socket.
/// Connections sit in a dense table (token = index, swap-remove) so the rebuild walks no holes; ready
/// sockets are matched back to connections by walking the candidates in step, since Select keeps order.
/// </summary>
internal sealed class SelectPoller : IPoller
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly Socket _listener;
    private readonly Socket _wakeup;
    private readonly List<Socket> _readList = [];
    private readonly List<Socket> _writeList = [];
    private readonly List<Connection> _readCandidates = [];
    private readonly List<Connection> _writeCandidates = [];
    private Connection[] _connections = new Connection[64];
    private Interest[] _interest = new Interest[64];
    private int _count;
    private bool _accepting = true;

    public SelectPoller(Socket listener, Socket wakeup)
    {
        _listener = listener;
        _wakeup = wakeup;
    }

    public PollerKind Kind => PollerKind.Select;

    public PollEvents Ready { get; } = new();

    public void Add(Connection c, Interest interest)
    {
        if (_count == _connections.Length)
        {
            Array.Resize(ref _connections, _count * 2);
            Array.Resize(ref _interest, _count * 2);
        }

        _connections[_count] = c;
        _interest[_count] = interest;
        c.WatchedAs(_count++);
    }

    public void Change(Connection c, Interest interest) => _interest[c.PollToken] = interest;

    public void Remove(Connection c)
    {
        int at = c.PollToken;
        var last = _connections[--_count];
        _connections[at] = last;
        _interest[at] = _interest[_count];
        last.WatchedAs(at);
        _connections[_count] = null!;
        c.WatchedAs(-1);
    }

    public void WatchListener(bool accepting) => _accepting = accepting;

    public void Wait(int timeoutMs)
    {
        Ready.Clear();
        BuildLists();
        try
        {
            Socket.Select(_readList, _writeList.Count > 0 ? _writeList : null, null, timeoutMs * 1000);
        }
        catch (SocketException e)
        {
            Log.Warn(e, "Select failed; retrying");
            return;
        }

        CollectReadable();
        Collect(_writeList, _writeCandidates, Ready.Writable);
    }

    public void Dispose()
    {
    }

    private void BuildLists()
    {
        _readList.Clear();
        _writeList.Clear();
        _readCandidates.Clear();
        _writeCandidates.Clear();
        if (_accepting)
        {
            _readList.Add(_listener);
        }

        _readList.Add(_wakeup);
        for (int i = 0; i < _count; i++)
        {
            var c = _connections[i];
            var interest = _interest[i];
            if ((interest & Interest.Read) != 0)
            {
                _readList.Add(c.Socket);
                _readCandidates.Add(c);
            }

            if ((interest & Interest.Write) != 0)
            {
                _writeList.Add(c.Socket);
                _writeCandidates.Add(c);
            }
        }
    }

    private void CollectReadable()
    {
        int skip = 0;
        if (_readList.Count > 0 && ReferenceEquals(_readList[0], _listener))
        {
            Ready.Listener = true;
            skip++;
        }

        if (_readList.Count > skip && ReferenceEquals(_readList[skip], _wakeup))
        {
            Ready.Wakeup = true;
            skip++;
        }

        Collect(_readList, _readCandidates, Ready.Readable, skip);
    }

    /// <summary>The sockets Select kept are a subsequence of the candidates, in order: match them in one pass.</summary>
    private static void Collect(List<Socket> ready, List<Connection> candidates, List<Connection> into, int from = 0)
    {
        int j = 0;
        for (int i = from; i < ready.Count; i++)
        {
            var socket = ready[i];
            while (!ReferenceEquals(candidates[j].Socket, socket))
            {
                j++;
            }

            into.Add(candidates[j++]);
        }
    }
}
