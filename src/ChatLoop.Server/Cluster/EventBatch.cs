using System.Text;
using StackExchange.Redis;

namespace ChatLoop.Server;

/// <summary>
/// The events one tick produced, on their way to Redis in one run of <see cref="ClusterScripts.PublishBatch"/>.
/// Pieces are written one after another into one buffer; the script's arguments are made once, when the
/// batch is sent. Bounded: <see cref="IsFull"/> past <see cref="MaxEvents"/> events or <see cref="MaxBytes"/>
/// bytes, and the owner sends it then, in the same tick, and starts another.
/// </summary>
internal sealed class EventBatch
{
    /// <summary>Events per script run: big enough that a busy tick takes a few runs, small enough that Redis answers others in between.</summary>
    public const int MaxEvents = 1024;

    /// <summary>Piece bytes per script run.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The script's arguments before the events: publisher, incarnation, deadline.</summary>
    private const int Leading = 3;

    private const int FieldsPerEvent = 5;

    private static readonly RedisValue[] Letters = [RedisValue.Null, "j", "l", "c", "g"];

    private readonly List<BatchEntry> _entries = [];
    private readonly List<(long Ref, long JoinId, long Node, int At, int Length)> _events = [];
    private byte[] _buffer = new byte[4096];
    private int _used;

    public int Count => _events.Count;

    public bool IsFull => _events.Count >= MaxEvents || _used >= MaxBytes;

    /// <summary>Who asked for each event, in order (the script's refusals name them by index).</summary>
    public IReadOnlyList<BatchEntry> Entries => _entries;

    /// <summary>Adds one event: the member is <paramref name="joinId"/> of <paramref name="node"/>.</summary>
    public void Add(BatchEntry entry, long node, long joinId, long roomRef, ReadOnlySpan<byte> name, string? roomName, ReadOnlySpan<byte> message, bool reaped = false)
    {
        int roomBytes = roomName is null ? 0 : Encoding.UTF8.GetByteCount(roomName);
        int size = EventCodec.PieceSize(name.Length, roomBytes, message.Length);
        if (_used + size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + size));
        }

        Span<byte> roomUtf8 = roomBytes <= 256 ? stackalloc byte[roomBytes] : new byte[roomBytes];
        if (roomName is not null)
        {
            Encoding.UTF8.GetBytes(roomName, roomUtf8);
        }

        EventCodec.WritePiece(_buffer.AsSpan(_used), entry.Kind, node, joinId, roomRef, name, roomUtf8, message, reaped);
        _events.Add((roomRef, joinId, node, _used, size));
        _entries.Add(entry);
        _used += size;
    }

    /// <summary>The script's ARGV; the pieces are slices of this batch's one buffer, which the batch no longer changes.</summary>
    public RedisValue[] Arguments(long publisher, string incarnation, long deadlineMs)
    {
        var args = new RedisValue[Leading + (FieldsPerEvent * _events.Count)];
        args[0] = publisher;
        args[1] = incarnation;
        args[2] = deadlineMs;
        int at = Leading;
        var buffer = new ReadOnlyMemory<byte>(_buffer);
        for (int i = 0; i < _events.Count; i++)
        {
            var (roomRef, joinId, node, offset, length) = _events[i];
            args[at++] = Letters[(int)_entries[i].Kind];
            args[at++] = roomRef;
            args[at++] = joinId;
            args[at++] = node;
            args[at++] = buffer.Slice(offset, length);
        }

        return args;
    }
}
