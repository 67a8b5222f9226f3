using System.Net;
using System.Net.Sockets;

namespace ChatLoop.Tests.Support;

/// <summary>
/// The server side of a real loopback connection, for tests that drive a connection's handling without a
/// reactor: nothing reads or writes it, and its client side is closed at once. Its local address is what
/// SERVER_IP and HELO report.
/// </summary>
internal static class LoopbackSocket
{
    private static readonly object Gate = new();
    private static Socket? _listener;

    public static Socket Accepted()
    {
        lock (Gate)
        {
            _listener ??= Listen();
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(_listener.LocalEndPoint!);
            return _listener.Accept();
        }
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        return listener;
    }
}
