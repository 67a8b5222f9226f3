using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Support;

/// <summary>The reading side: every read waits at most until its deadline and fails the test with what did arrive.</summary>
public sealed partial class TestClient
{
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
        while (_end - _start < count)
        {
            var outcome = Fill(deadline);
            if (outcome != Outcome.Data)
            {
                Assert.Fail($"{Label}: expected {count} bytes within {Bound(timeout)}, but {Describe(outcome)} after {_end - _start}: {Show(Pending)}");
            }
        }

        var bytes = Pending[..count].ToArray();
        _start += count;
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
            if (outcome != Outcome.Data)
            {
                Assert.Fail($"{Label}: expected {Show(end)} within {Bound(timeout)}, but {Describe(outcome)}: {Show(Pending)}");
            }
        }

        var text = Encoding.UTF8.GetString(Pending[..(at + end.Length)]);
        _start += at + end.Length;
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
                _start += lf + 1;
                if (_reader.TryRead(out var response))
                {
                    return response!;
                }
            }

            var outcome = Fill(deadline);
            if (outcome != Outcome.Data)
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
        if (_end > _start || _reader.InBlock)
        {
            Assert.Fail($"{Label}: expected the connection closed, but bytes are unread: {Show(Pending)}");
        }

        var outcome = Fill(Deadline(timeout));
        if (outcome == Outcome.Eof || (outcome == Outcome.Reset && allowReset))
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
            if (outcome == Outcome.Data)
            {
                continue;
            }

            if (outcome == Outcome.Eof || (outcome == Outcome.Reset && allowReset))
            {
                var all = Pending.ToArray();
                _start = _end;
                return all;
            }

            Assert.Fail($"{Label}: expected the connection to end within {Bound(timeout)}, but {Describe(outcome)} after {_end - _start} bytes");
        }
    }

    /// <summary>
    /// Asserts nothing arrives for <paramref name="within"/> (default <see cref="Wait.Short"/>). Use only where
    /// the protocol says nothing may arrive and no later reply can show it (prefer <see cref="Sync"/>).
    /// </summary>
    public void ExpectNothing(TimeSpan? within = null)
    {
        var bound = within ?? Wait.Short;
        if (_end > _start)
        {
            Assert.Fail($"{Label}: expected nothing, but bytes are unread: {Show(Pending)}");
        }

        var outcome = Fill(Stopwatch.GetTimestamp() + (long)(bound.TotalSeconds * Stopwatch.Frequency));
        if (outcome != Outcome.Timeout)
        {
            Assert.Fail($"{Label}: expected nothing for {bound.TotalMilliseconds} ms, but {Describe(outcome)}: {Show(Pending)}");
        }
    }

    private ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    private static long Deadline(TimeSpan? timeout) =>
        Stopwatch.GetTimestamp() + (long)((timeout ?? Wait.Long).TotalSeconds * Stopwatch.Frequency);

    private static string Bound(TimeSpan? timeout) => $"{(timeout ?? Wait.Long).TotalMilliseconds} ms";

    private static string Describe(Outcome outcome) => outcome switch
    {
        Outcome.Eof => "the server closed the connection",
        Outcome.Reset => "the connection was reset",
        Outcome.Timeout => "nothing more arrived",
        _ => "data arrived",
    };

    /// <summary>One receive, waiting at most until <paramref name="deadline"/> for data.</summary>
    private Outcome Fill(long deadline)
    {
        long left = deadline - Stopwatch.GetTimestamp();
        if (left <= 0 || !Socket.Poll(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency), SelectMode.SelectRead))
        {
            return Outcome.Timeout;
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

        int n = Socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None, out var error);
        if (error is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return Outcome.Reset;
        }

        if (error == SocketError.WouldBlock)
        {
            // Only on a socket a test made non-blocking, when Poll's readiness was spurious: no bytes, try again.
            return Outcome.Data;
        }

        if (error != SocketError.Success)
        {
            Assert.Fail($"{Label}: receive failed with {error}");
        }

        _end += n;
        return n == 0 ? Outcome.Eof : Outcome.Data;
    }
}
