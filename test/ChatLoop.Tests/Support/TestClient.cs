using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Support;

/// <summary>
/// One blocking loopback connection, as a test drives it: send text, read exact bytes or whole blocks,
/// see the connection close. Every read is bounded (<see cref="Wait.Long"/> unless told) and fails the
/// test with what did arrive. Bytes received and not yet consumed stay buffered across calls, so exact
/// reads and block reads can be mixed freely.
/// </summary>
public sealed partial class TestClient : IDisposable
{
    private readonly ResponseReader _reader = new();
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private int _syncs;

    private TestClient(Socket socket, string label)
    {
        Socket = socket;
        Label = label;
    }

    private enum Outcome { Data, Eof, Reset, Timeout }

    /// <summary>The socket, for tests that need it raw (non-blocking sends, buffer sizes).</summary>
    public Socket Socket { get; }

    /// <summary>Names the client in failure messages.</summary>
    public string Label { get; set; }

    /// <summary>The server's port, as this client reached it.</summary>
    public int ServerPort => ((IPEndPoint)Socket.RemoteEndPoint!).Port;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>; <paramref name="configure"/> runs first (e.g. a small receive buffer).</summary>
    public static TestClient Connect(int port, Action<Socket>? configure = null, string label = "client")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            SendTimeout = (int)Wait.Long.TotalMilliseconds,
        };
        try
        {
            configure?.Invoke(socket);
            socket.Connect(IPAddress.Loopback, port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TestClient(socket, label);
    }

    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends all of <paramref name="bytes"/>; a send the server does not take within the bound fails the test.</summary>
    public void Send(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int n = Socket.Send(bytes, SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                Assert.Fail($"{Label}: send failed with {error} with {bytes.Length} bytes left to send");
            }

            bytes = bytes[n..];
        }
    }

    /// <summary>Sends one byte per send call (NoDelay is on), so the server sees the input split everywhere.</summary>
    public void SendByteByByte(string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            Send([b]);
        }
    }

    /// <summary>
    /// Sends a HELO and asserts its reply is the very next thing received. Blocks reach a connection in the
    /// order the server produced them, so this proves nothing else was queued for this client before it,
    /// without waiting for a silence.
    /// </summary>
    public void Sync()
    {
        var text = $" sync-{++_syncs}";
        Send($"HELO{text}\n");
        ReadExactly(Blocks.Helo(text, ServerPort));
    }

    /// <summary>Closes the sending side: the server reads EOF.</summary>
    public void ShutdownSend() => Socket.Shutdown(SocketShutdown.Send);

    /// <summary>Resets the connection: SO_LINGER 0, then close, so the server sees a reset, not a FIN.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    public void Dispose()
    {
        Socket.Dispose();
        _reader.Dispose();
    }

    /// <summary>Bytes and blocks shown in one line, LF as <c>\n</c>, for failure messages.</summary>
    public static string Show(ReadOnlySpan<byte> bytes)
    {
        const int max = 600;
        var text = Encoding.UTF8.GetString(bytes.Length > max ? bytes[..max] : bytes);
        var shown = text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return bytes.Length > max ? $"\"{shown}\"... ({bytes.Length} bytes)" : $"\"{shown}\"";
    }

    public static string Show(Response block)
    {
        var sb = new StringBuilder().Append(block.Kind).Append(" {");
        foreach (var (key, value) in block.Fields)
        {
            sb.Append(' ').Append(key).Append(": ").Append(value).Append(';');
        }

        return sb.Append(" }").ToString();
    }
}
