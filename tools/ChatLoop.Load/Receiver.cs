using System.Diagnostics;
using System.Net.Sockets;
using ChatLoop.Protocol;

namespace ChatLoop.Load;

/// <summary>
/// Reads a client's socket into one buffer shared by the loop, hands each complete block to the
/// handler in place, and keeps only the incomplete tail with the client.
/// </summary>
internal sealed class Receiver
{
    private readonly byte[] _buffer = new byte[256 * 1024];
    private readonly BlockHandler _handler;
    private readonly ClientIo _io;
    private readonly LoopCounters _counters;
    private readonly ProblemLog _problems;
    private readonly int _maxBlock;

    public Receiver(BlockHandler handler, ClientIo io, LoopCounters counters, ProblemLog problems, int size)
    {
        _handler = handler;
        _io = io;
        _counters = counters;
        _problems = problems;
        _maxBlock = Math.Max(64 * 1024, (4 * size) + 4096);
    }

    /// <summary>When bytes last arrived on any client of this loop.</summary>
    public long LastActivity { get; private set; }

    /// <summary>One Receive on the client; returns the bytes read (0 when none were waiting or it closed).</summary>
    public int Receive(SimClient c)
    {
        int carry = c.CarryLength;
        if (carry >= _buffer.Length - 4096)
        {
            Fail(c, "a block longer than the receive buffer");
            return 0;
        }

        c.Carry.AsSpan(0, carry).CopyTo(_buffer);
        int n = c.Socket!.Receive(_buffer.AsSpan(carry), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            return 0;
        }

        if (error != SocketError.Success || n == 0)
        {
            c.ServerClosed = true;
            _io.Close(c, n == 0 && error == SocketError.Success ? "the server closed the connection" : $"receive failed: {error}");
            return 0;
        }

        long now = Stopwatch.GetTimestamp();
        LastActivity = now;
        _counters.BytesIn += n;
        var data = _buffer.AsSpan(0, carry + n);
        int pos = 0;
        while (c.State != ClientState.Closed)
        {
            int used = BlockFramer.TryRead(data[pos..], out var block);
            if (used == 0)
            {
                break;
            }

            pos += used;
            _handler.OnBlock(c, block, now);
        }

        int tail = data.Length - pos;
        if (c.State == ClientState.Closed)
        {
            return n;
        }

        if (tail > _maxBlock)
        {
            Fail(c, $"an unfinished block of {tail} bytes");
            return n;
        }

        if (tail > c.Carry.Length)
        {
            c.Carry = new byte[Math.Max(tail, Math.Max(256, c.Carry.Length * 2))];
        }

        data[pos..].CopyTo(c.Carry);
        c.CarryLength = tail;
        return n;
    }

    private void Fail(SimClient c, string what)
    {
        if (!c.IsSlow)
        {
            _counters.Unexpected++;
            _problems.Add($"c{c.Index} got {what}");
        }

        _io.Close(c, what);
    }
}
