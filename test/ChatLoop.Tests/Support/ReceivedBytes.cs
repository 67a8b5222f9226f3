using System.Diagnostics;
using System.Net.Sockets;

namespace ChatLoop.Tests.Support;

/// <summary>
/// What a <see cref="TestClient"/> received and has not consumed yet, kept across calls so exact reads and
/// block reads can be mixed; filled one bounded receive at a time.
/// </summary>
internal sealed class ReceivedBytes
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public ReceivedBytes(Socket socket) => _socket = socket;

    /// <summary>The bytes received and not consumed, valid until the next <see cref="Fill"/>.</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    public int Count => _end - _start;

    public void Consume(int count) => _start += count;

    /// <summary>One receive, waiting at most until <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp) for data.</summary>
    public ReceiveOutcome Fill(long deadline, string label)
    {
        long left = deadline - Stopwatch.GetTimestamp();
        if (left <= 0 || !_socket.Poll(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency), SelectMode.SelectRead))
        {
            return ReceiveOutcome.Timeout;
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (_buffer.Length - _end < 4096)
        {
            var bigger = _end - _start + 4096 > _buffer.Length ? new byte[_buffer.Length * 2] : _buffer;
            Pending.CopyTo(bigger);
            _end -= _start;
            _start = 0;
            _buffer = bigger;
        }

        int n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None, out var error);
        if (error is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return ReceiveOutcome.Reset;
        }

        if (error == SocketError.WouldBlock)
        {
            // Only on a socket a test made non-blocking, when Poll's readiness was spurious: no bytes, try again.
            return ReceiveOutcome.Data;
        }

        if (error != SocketError.Success)
        {
            Assert.Fail($"{label}: receive failed with {error}");
        }

        _end += n;
        return n == 0 ? ReceiveOutcome.Eof : ReceiveOutcome.Data;
    }
}
