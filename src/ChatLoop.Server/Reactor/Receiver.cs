using System.Net.Sockets;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Polling;

namespace ChatLoop.Server.Reactor;

/// <summary>One Receive for each connection the poller found readable, into one shared buffer, then into the connection's reader.</summary>
internal sealed class Receiver
{
    private readonly byte[] _buffer;
    private readonly ServerStats _stats;
    private readonly InputScheduler _input;
    private readonly Faults _faults;

    public Receiver(ServerSettings settings, ServerStats stats, InputScheduler input, Faults faults)
    {
        _buffer = new byte[settings.ReceiveBufferBytes];
        _stats = stats;
        _input = input;
        _faults = faults;
    }

    public void ReadAll(PollEvents ready)
    {
        foreach (var c in ready.Readable)
        {
            try
            {
                Read(c);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _faults.Faulted(c, e);
            }
        }
    }

    private void Read(Connection c)
    {
        int n = c.Socket.Receive(_buffer, 0, _buffer.Length, SocketFlags.None, out var error);
        _stats.Receives++;
        if (error == SocketError.WouldBlock)
        {
            return;
        }

        if (error != SocketError.Success)
        {
            Faults.LostPeer(c, error);
            return;
        }

        if (n == 0)
        {
            // EOF ends a last line sent without its line end, and an open CHAT body (PROTOCOL.md §1): what
            // they complete is served, after what came before, in its turn, which then closes it.
            c.NotePeerClosed();
            if (c.IsOpen)
            {
                _input.Schedule(c);
            }

            return;
        }

        _stats.BytesIn += n;
        if (c.IsOpen)
        {
            c.Reader.Append(_buffer.AsSpan(0, n));
            _input.Schedule(c);
        }
    }
}
