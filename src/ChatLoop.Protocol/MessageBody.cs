using System.Buffers;

namespace ChatLoop.Protocol;

/// <summary>
/// The text of the request being read (a CHAT's MESSAGE and body lines, HELO's text) in one pooled buffer
/// that grows by doubling and is given back between requests.
/// </summary>
internal sealed class MessageBody
{
    private readonly ArrayPool<byte> _pool;
    private byte[]? _bytes;
    private int _length;

    public MessageBody(ArrayPool<byte> pool) => _pool = pool;

    /// <summary>The text so far; valid until the next change.</summary>
    public ReadOnlyMemory<byte> Text => _bytes.AsMemory(0, _length);

    /// <summary>A new text, beginning with <paramref name="first"/>.</summary>
    public void Start(ReadOnlySpan<byte> first)
    {
        _length = 0;
        Append(first);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_bytes is null || _length + bytes.Length > _bytes.Length)
        {
            var bigger = _pool.Rent(Math.Max(256, Math.Max(_length + bytes.Length, (_bytes?.Length ?? 0) * 2)));
            if (_bytes is not null)
            {
                _bytes.AsSpan(0, _length).CopyTo(bigger);
                _pool.Return(_bytes);
            }

            _bytes = bigger;
        }

        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Release()
    {
        if (_bytes is not null)
        {
            _pool.Return(_bytes);
            _bytes = null;
            _length = 0;
        }
    }
}
