using System.Buffers;

namespace ChatLoop.Protocol;

/// <summary>
/// Bytes in, lines out. LF, CR LF and a lone CR each end a line (PROTOCOL.md §1), decided the same
/// however the bytes were split. Holds only what is not yet read, in a pooled array that is given
/// back as soon as it is empty, so an idle connection costs no buffer.
/// </summary>
public sealed class LineBuffer : IDisposable
{
    private const int MinCapacity = 1024;

    private enum LateEnd : byte { None, Any, LfOnly }

    private readonly ArrayPool<byte> _pool;
    private byte[]? _buffer;
    private int _start;
    private int _end;

    // The last line ended with a CR that was the last byte we had: an LF arriving next belongs to it.
    private bool _skipLf;
    private int _lastLineStart = -1;

    // The last line was ended by EndLine, not by a byte: a line end that arrives next belongs to it.
    private LateEnd _lateEnd;

    /// <param name="pool">Where the buffer comes from and goes back to; <see cref="ArrayPool{T}.Shared"/> by default.</param>
    public LineBuffer(ArrayPool<byte>? pool = null) => _pool = pool ?? ArrayPool<byte>.Shared;

    /// <summary>Bytes held that are not yet a complete line (valid after <see cref="TryReadLine"/> returns false).</summary>
    public int PendingBytes => _end - _start;

    /// <summary>The bytes of <see cref="PendingBytes"/>; valid until the next <see cref="Append"/>.</summary>
    internal ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Bytes are held after the last line end: a line has begun and not ended.</summary>
    public bool HasUnterminatedLine => _end > _start && _buffer![_end - 1] is not ((byte)'\n' or (byte)'\r');

    public void Append(ReadOnlySpan<byte> data)
    {
        data = SkipLateEnd(data);
        if (data.IsEmpty)
        {
            return;
        }

        _lastLineStart = -1;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (_buffer is null || _end + data.Length > _buffer.Length)
        {
            Grow(data.Length);
        }

        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Takes the next complete line, without its terminator. The span is valid until the next <see cref="Append"/>.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (_skipLf && _start < _end)
        {
            if (_buffer![_start] == (byte)'\n')
            {
                _start++;
            }

            _skipLf = false;
        }

        var pending = _buffer.AsSpan(_start, _end - _start);
        int at = pending.IndexOfAny((byte)'\n', (byte)'\r');
        if (at < 0)
        {
            line = default;
            return false;
        }

        line = pending[..at];
        _lastLineStart = _start;
        int terminator = 1;
        if (pending[at] == (byte)'\r')
        {
            if (at + 1 < pending.Length)
            {
                terminator = pending[at + 1] == (byte)'\n' ? 2 : 1;
            }
            else
            {
                _skipLf = true;
            }
        }

        _start += at + terminator;
        return true;
    }

    /// <summary>Puts back the line just read, so that it is read again next.</summary>
    public void UnreadLine()
    {
        if (_lastLineStart < 0)
        {
            throw new InvalidOperationException("No line to unread.");
        }

        _start = _lastLineStart;
        _skipLf = false;
        _lastLineStart = -1;
    }

    /// <summary>
    /// Ends the line begun and not ended, as if its line end had arrived (PROTOCOL.md §1: the message idle
    /// time passed, or the client closed its sending side). A line end that arrives next, LF, CR LF or CR,
    /// is taken as that line's own and not as an empty line. False when no line was unterminated.
    /// </summary>
    public bool EndLine()
    {
        if (!HasUnterminatedLine)
        {
            return false;
        }

        Append("\n"u8);
        _lateEnd = LateEnd.Any;
        return true;
    }

    /// <summary>Gives the buffer back to the pool when nothing is held.</summary>
    public void ReleaseIfEmpty()
    {
        if (_start == _end && _buffer is not null)
        {
            _pool.Return(_buffer);
            _buffer = null;
            _start = _end = 0;
            _lastLineStart = -1;
        }
    }

    public void Dispose()
    {
        _start = _end;
        ReleaseIfEmpty();
    }

    private ReadOnlySpan<byte> SkipLateEnd(ReadOnlySpan<byte> data)
    {
        if (_lateEnd == LateEnd.None || data.IsEmpty)
        {
            return data;
        }

        if (_lateEnd == LateEnd.Any && data[0] == (byte)'\r')
        {
            data = data[1..];
            _lateEnd = LateEnd.LfOnly;
            if (data.IsEmpty)
            {
                return data;
            }
        }

        _lateEnd = LateEnd.None;
        return data[0] == (byte)'\n' ? data[1..] : data;
    }

    private void Grow(int extra)
    {
        int held = _end - _start;
        if (_buffer is not null && held + extra <= _buffer.Length)
        {
            _buffer.AsSpan(_start, held).CopyTo(_buffer);
        }
        else
        {
            var bigger = _pool.Rent(Math.Max(MinCapacity, held + extra));
            if (_buffer is not null)
            {
                _buffer.AsSpan(_start, held).CopyTo(bigger);
                _pool.Return(_buffer);
            }

            _buffer = bigger;
        }

        _start = 0;
        _end = held;
        _lastLineStart = -1;
    }
}
