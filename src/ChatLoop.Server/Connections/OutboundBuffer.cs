using System.Buffers;

namespace ChatLoop.Server.Connections;

/// <summary>
/// The bytes queued for one client, in the order the server produced them. A pooled array that
/// grows on demand and is given back once empty and idle, so an idle client costs no buffer.
/// </summary>
internal sealed class OutboundBuffer
{
    private const int InitialCapacity = BufferPool.BlockSize;

    private readonly ArrayPool<byte> _pool;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private long _consumed;

    public OutboundBuffer(ArrayPool<byte> pool) => _pool = pool;

    public int Length => _end - _start;

    /// <summary>The array is one standard block, cheap to give back and take again.</summary>
    public bool HoldsSmallBlock => _buffer is not null && _buffer.Length <= InitialCapacity;

    public bool IsEmpty => _end == _start;

    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    public byte[]? Array => _buffer;

    public int Start => _start;

    /// <summary>Bytes taken from the front of the queue since it was made.</summary>
    public long Consumed => _consumed;

    public void Append(ReadOnlySpan<byte> block)
    {
        if (_buffer is null || _end + block.Length > _buffer.Length)
        {
            MakeRoom(block.Length);
        }

        block.CopyTo(_buffer.AsSpan(_end));
        _end += block.Length;
    }

    /// <summary>
    /// The hot path of a broadcast: appends when the queue already holds bytes (so it is already
    /// waiting to be flushed), the block fits in the array as it is, and the cap allows. Otherwise
    /// false, and the caller takes the general path.
    /// </summary>
    public bool TryAppendInPlace(ReadOnlySpan<byte> block, int cap)
    {
        var buffer = _buffer;
        int end = _end;
        if (buffer is null || end == _start || block.Length > buffer.Length - end || end - _start + block.Length > cap)
        {
            return false;
        }

        block.CopyTo(buffer.AsSpan(end));
        _end = end + block.Length;
        return true;
    }

    public void Consume(int count)
    {
        _consumed += count;
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Gives the array back to the pool if nothing is queued.</summary>
    public void ReleaseIfEmpty()
    {
        if (_start == _end && _buffer is not null)
        {
            _pool.Return(_buffer);
            _buffer = null;
            _start = _end = 0;
        }
    }

    public void Clear()
    {
        _start = _end = 0;
        ReleaseIfEmpty();
    }

    private void MakeRoom(int extra)
    {
        int held = _end - _start;
        if (_buffer is not null && held + extra <= _buffer.Length)
        {
            _buffer.AsSpan(_start, held).CopyTo(_buffer);
        }
        else
        {
            int size = Math.Max(InitialCapacity, Math.Max(held + extra, (_buffer?.Length ?? 0) * 2));
            var bigger = _pool.Rent(size);
            if (_buffer is not null)
            {
                _buffer.AsSpan(_start, held).CopyTo(bigger);
                _pool.Return(_buffer);
            }

            _buffer = bigger;
        }

        _start = 0;
        _end = held;
    }
}
