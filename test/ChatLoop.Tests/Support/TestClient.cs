using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Support;

/// <summary>
/// One blocking loopback connection, as a test drives it: send text, read exact bytes or whole blocks,
/// see the connection close. Every read is bounded (<see cref="Wait.Long"/> unless told) and fails the
/// test with what did arrive. Bytes received and not yet consumed stay buffered across calls (<see cref="ReceivedBytes"/>), so exact
/// reads and block reads can be mixed freely.
/// </summary>
public sealed class TestClient : IDisposable
{
    private readonly ResponseReader _reader = new();
    private readonly ReceivedBytes _received;
    private int _syncs;

    private TestClient(Socket socket, string label)
    {
        Socket = socket;
        Label = label;
        _received = new ReceivedBytes(socket);
    }

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

    /// <summary>Reads exactly as many bytes as <paramref name="expected"/> has and asserts they are those bytes.</summary>
    public void ReadExactly(string expected, TimeSpan? timeout = null)
    {
        var want = Encoding.UTF8.GetBytes(expected);
        var got = ReadBytes(want.Length, timeout);
        if (!got.AsSpan().SequenceEqual(want))
        {
            Assert.Fail($"{Label}: wrong bytes.\n  expected: {Show(want)}\n  received: {Show(got)}");
        }
    }

    /// <summary>The next <paramref name="count"/> bytes.</summary>
    public byte[] ReadBytes(int count, TimeSpan? timeout = null)
    {
        var deadline = Deadline(timeout);
        while (_received.Count < count)
        {
            var outcome = Fill(deadline);
            if (outcome != ReceiveOutcome.Data)
            {
                Assert.Fail($"{Label}: expected {count} bytes within {Bound(timeout)}, but {Describe(outcome)} after {_received.Count}: {Show(Pending)}");
            }
        }

        var bytes = Pending[..count].ToArray();
        _received.Consume(count);
        return bytes;
    }

    /// <summary>Everything up to and including the first <paramref name="terminator"/>, as text.</summary>
    public string ReadThrough(string terminator, TimeSpan? timeout = null)
    {
        var deadline = Deadline(timeout);
        var end = Encoding.UTF8.GetBytes(terminator);
        int at;
        while ((at = Pending.IndexOf(end)) < 0)
        {
            var outcome = Fill(deadline);
            if (outcome != ReceiveOutcome.Data)
            {
                Assert.Fail($"{Label}: expected {Show(end)} within {Bound(timeout)}, but {Describe(outcome)}: {Show(Pending)}");
            }
        }

        var text = Encoding.UTF8.GetString(Pending[..(at + end.Length)]);
        _received.Consume(at + end.Length);
        return text;
    }

    /// <summary>The next whole block, read line by line through <see cref="ResponseReader"/>.</summary>
    public Response ReadBlock(TimeSpan? timeout = null)
    {
        var deadline = Deadline(timeout);
        var fed = new List<byte>();
        while (true)
        {
            int lf;
            while ((lf = Pending.IndexOf((byte)'\n')) >= 0)
            {
                var line = Pending[..(lf + 1)];
                fed.AddRange(line);
                _reader.Append(line);
                _received.Consume(lf + 1);
                if (_reader.TryRead(out var response))
                {
                    return response!;
                }
            }

            var outcome = Fill(deadline);
            if (outcome != ReceiveOutcome.Data)
            {
                Assert.Fail($"{Label}: expected a block within {Bound(timeout)}, but {Describe(outcome)}; partial block: {Show([.. fed, .. Pending])}");
            }
        }
    }

    /// <summary>Reads the next block and asserts it is an ERROR with <paramref name="code"/>.</summary>
    public Response ReadError(ErrorCode code, TimeSpan? timeout = null)
    {
        var block = ReadBlock(timeout);
        Assert.That(block.Kind, Is.EqualTo(ResponseKind.Error), $"{Label}: expected ERROR {(int)code}, got {Show(block)}");
        Assert.That(block.GetNumber("ERROR_CODE"), Is.EqualTo((int)code), $"{Label}: wrong error code in {Show(block)}");
        Assert.That(block.Get("ERROR_DESCRIPTION"), Is.Not.Empty, $"{Label}: ERROR without a description");
        return block;
    }

    /// <summary>Asserts the server closes the connection (a read returns 0) within the bound, with nothing unread before it.</summary>
    public void ExpectClosed(TimeSpan? timeout = null, bool allowReset = false)
    {
        if (_received.Count > 0 || _reader.InBlock)
        {
            Assert.Fail($"{Label}: expected the connection closed, but bytes are unread: {Show(Pending)}");
        }

        var outcome = Fill(Deadline(timeout));
        if (outcome == ReceiveOutcome.Eof || (outcome == ReceiveOutcome.Reset && allowReset))
        {
            return;
        }

        Assert.Fail($"{Label}: expected the connection closed within {Bound(timeout)}, but {Describe(outcome)}: {Show(Pending)}");
    }

    /// <summary>Everything the server sends from now until it closes the connection.</summary>
    public byte[] ReadToEnd(TimeSpan? timeout = null, bool allowReset = false)
    {
        var deadline = Deadline(timeout);
        while (true)
        {
            var outcome = Fill(deadline);
            if (outcome == ReceiveOutcome.Data)
            {
                continue;
            }

            if (outcome == ReceiveOutcome.Eof || (outcome == ReceiveOutcome.Reset && allowReset))
            {
                var all = Pending.ToArray();
                _received.Consume(all.Length);
                return all;
            }

            Assert.Fail($"{Label}: expected the connection to end within {Bound(timeout)}, but {Describe(outcome)} after {_received.Count} bytes");
        }
    }

    /// <summary>
    /// Asserts nothing arrives for <paramref name="within"/> (default <see cref="Wait.Short"/>). Use only where
    /// the protocol says nothing may arrive and no later reply can show it (prefer <see cref="Sync"/>).
    /// </summary>
    public void ExpectNothing(TimeSpan? within = null)
    {
        var bound = within ?? Wait.Short;
        if (_received.Count > 0)
        {
            Assert.Fail($"{Label}: expected nothing, but bytes are unread: {Show(Pending)}");
        }

        var outcome = Fill(Stopwatch.GetTimestamp() + (long)(bound.TotalSeconds * Stopwatch.Frequency));
        if (outcome != ReceiveOutcome.Timeout)
        {
            Assert.Fail($"{Label}: expected nothing for {bound.TotalMilliseconds} ms, but {Describe(outcome)}: {Show(Pending)}");
        }
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

    private ReadOnlySpan<byte> Pending => _received.Pending;

    private ReceiveOutcome Fill(long deadline) => _received.Fill(deadline, Label);

    private static long Deadline(TimeSpan? timeout) =>
        Stopwatch.GetTimestamp() + (long)((timeout ?? Wait.Long).TotalSeconds * Stopwatch.Frequency);

    private static string Bound(TimeSpan? timeout) => $"{(timeout ?? Wait.Long).TotalMilliseconds} ms";

    private static string Describe(ReceiveOutcome outcome) => outcome switch
    {
        ReceiveOutcome.Eof => "the server closed the connection",
        ReceiveOutcome.Reset => "the connection was reset",
        ReceiveOutcome.Timeout => "nothing more arrived",
        _ => "data arrived",
    };
}
