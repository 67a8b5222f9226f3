using System.Net;
using System.Net.Sockets;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// The one hand-off from other threads to the reactor: a datagram to a loopback socket that sits in
/// Select's read list, so a signal or a stop request wakes the loop at once.
/// </summary>
internal sealed class Wakeup : IDisposable
{
    private readonly Socket _sender;
    private readonly EndPoint _target;
    private readonly byte[] _drain = new byte[64];

    public Wakeup()
    {
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Socket.Blocking = false;
        _target = Socket.LocalEndPoint!;
        _sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    }

    public Socket Socket { get; }

    /// <summary>Any thread: wake the reactor.</summary>
    public void Signal()
    {
        try
        {
            _sender.SendTo([1], _target);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Reactor thread: read the wake-up datagrams.</summary>
    public void Drain()
    {
        while (Socket.Available > 0)
        {
            Socket.Receive(_drain, 0, _drain.Length, SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                break;
            }
        }
    }

    public void Dispose()
    {
        Socket.Dispose();
        _sender.Dispose();
    }
}
