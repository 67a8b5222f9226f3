using System.Net.Sockets;

namespace ChatLoop.Load;

/// <summary>
/// One Socket.Select over a set of clients and the dispatch of what it found. The lists are
/// reused; Select filters them in place keeping their order, so walking the filtered list beside
/// the list of (client, socket) pairs it was built from finds each ready socket's client.
/// </summary>
internal sealed class SocketPoller
{
    private readonly List<Socket> _read;
    private readonly List<Socket> _write;
    private readonly List<Socket> _error;
    private readonly List<(SimClient Client, Socket Socket)> _readers;
    private readonly List<(SimClient Client, Socket Socket)> _writers;

    public SocketPoller(int capacity)
    {
        _read = new(capacity);
        _write = new(capacity);
        _error = new(capacity);
        _readers = new(capacity);
        _writers = new(capacity);
    }

    /// <summary>Polls <paramref name="clients"/>, waiting up to <paramref name="microseconds"/>; returns how many sockets were ready.</summary>
    public int Poll(SimClient[] clients, int microseconds, Receiver receiver, Connector connector, ClientIo io)
    {
        Build(clients);
        if (_read.Count + _write.Count == 0)
        {
            if (microseconds > 0)
            {
                Thread.Sleep(microseconds / 1000);
            }

            return 0;
        }

        Socket.Select(_read.Count > 0 ? _read : null, _write.Count > 0 ? _write : null,
            _error.Count > 0 ? _error : null, microseconds);
        int ready = 0;
        int k = 0;
        foreach (var (c, socket) in _writers)
        {
            bool writable = k < _write.Count && ReferenceEquals(_write[k], socket);
            k += writable ? 1 : 0;
            bool failed = c.State == ClientState.Connecting && _error.Contains(socket);
            if ((writable || failed) && c.Socket == socket)
            {
                ready++;
                if (c.State == ClientState.Connecting)
                {
                    connector.OnConnectReady(c);
                }
                else
                {
                    io.Flush(c);
                }
            }
        }

        k = 0;
        foreach (var (c, socket) in _readers)
        {
            if (k < _read.Count && ReferenceEquals(_read[k], socket))
            {
                k++;
                ready++;
                if (c.Socket == socket)
                {
                    receiver.Receive(c);
                }
            }
        }

        return ready;
    }

    private void Build(SimClient[] clients)
    {
        _read.Clear();
        _write.Clear();
        _error.Clear();
        _readers.Clear();
        _writers.Clear();
        foreach (var c in clients)
        {
            if (c.Socket is not { } socket)
            {
                continue;
            }

            switch (c.State)
            {
                case ClientState.Connecting:
                    _write.Add(socket);
                    _error.Add(socket);
                    _writers.Add((c, socket));
                    continue;
                case ClientState.Joining or ClientState.Joined:
                    _read.Add(socket);
                    _readers.Add((c, socket));
                    break;
            }

            if (c.HasPendingOut && c.State != ClientState.Connecting)
            {
                _write.Add(socket);
                _writers.Add((c, socket));
            }
        }
    }
}
