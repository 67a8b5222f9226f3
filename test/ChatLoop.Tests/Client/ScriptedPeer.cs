using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Client;

/// <summary>
/// The server end of one loopback connection, played by the test: it reads what the client sends
/// and answers with bytes the test chooses, so a client behaviour can be checked byte for byte.
/// </summary>
internal sealed class ScriptedPeer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly StringBuilder _received = new();
    private readonly byte[] _buffer = new byte[4096];
    private Socket? _socket;

    public ScriptedPeer() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connects a client socket and accepts it; returns the client's stream.</summary>
    public NetworkStream ConnectClient()
    {
        var client = new TcpClient();
        client.Connect(IPAddress.Loopback, Port);
        _socket = _listener.AcceptSocket();
        _socket.ReceiveTimeout = 5000;
        return client.GetStream();
    }

    /// <summary>Reads until everything received so far ends with <paramref name="expected"/>; all bytes since the last call.</summary>
    public string ReadUntilEndsWith(string expected)
    {
        Wait.Until(
            () =>
            {
                if (_received.ToString().EndsWith(expected, StringComparison.Ordinal))
                {
                    return true;
                }

                // Receive blocks for the next bytes (up to the socket's receive timeout): no pause between tries.
                int n = _socket!.Receive(_buffer);
                if (n == 0)
                {
                    Assert.Fail($"client closed while waiting for '{expected}', got '{_received}'");
                }

                _received.Append(Encoding.UTF8.GetString(_buffer, 0, n));
                return _received.ToString().EndsWith(expected, StringComparison.Ordinal);
            },
            () => $"waited for '{expected}', got '{_received}'",
            pace: TimeSpan.Zero);

        var all = _received.ToString();
        _received.Clear();
        return all;
    }

    /// <summary>True once the client has closed its side (a read returns 0), within the socket's receive timeout.</summary>
    public bool ClientClosed()
    {
        try
        {
            while (true)
            {
                int n = _socket!.Receive(_buffer);
                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Send(string text) => _socket!.Send(Encoding.UTF8.GetBytes(text));

    /// <summary>Closes the server's side, as the server does after DISCONNECT or on an error.</summary>
    public void Close() => _socket!.Shutdown(SocketShutdown.Send);

    public void Dispose()
    {
        _socket?.Dispose();
        _listener.Stop();
        _listener.Dispose();
    }
}
