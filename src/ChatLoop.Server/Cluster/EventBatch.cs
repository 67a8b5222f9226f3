using System.Text;
using ChatLoop.Server.Sequencing;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The events one tick produced, on their way to Redis in one run of <see cref="ClusterScripts.PublishBatch"/>.
/// Pieces are written one after another into one buffer; a member's chats that follow one another in one
/// room become one run (one piece, one membership check and one routing step in Redis, however many chats).
/// The script's keys and arguments are made once, when the batch is sent. Bounded: <see cref="IsFull"/> past
/// <see cref="MaxUnits"/> units or <see cref="MaxBytes"/> bytes, and the owner sends it then, in the same
/// tick, and starts another.
/// </summary>
internal sealed class EventBatch
{
    /// <summary>Units per script run: big enough that a busy tick takes a few runs, small enough that Redis answers others in between.</summary>
    public const int MaxUnits = 1024;

    /// <summary>Piece bytes per script run.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The script's arguments before the units: publisher, incarnation, deadline.</summary>
    private const int Leading = 3;

    private readonly List<BatchEntry> _entries = [];
    private readonly List<(long JoinId, int At, int Length)> _units = [];
    private readonly List<long> _rooms = [];
    private readonly HashSet<long> _roomsSeen = [];
    private byte[] _buffer = new byte[4096];
    private int _used;

    /// <summary>Units (events, or runs of chats).</summary>
    public int Count => _units.Count;

    public bool IsFull => _units.Count >= MaxUnits || _used >= MaxBytes;

    /// <summary>Who asked for each unit, in order (the script's refusals name them by index).</summary>
    public IReadOnlyList<BatchEntry> Entries => _entries;

    /// <summary>Adds one event: the member is <paramref name="joinId"/> of <paramref name="node"/>.</summary>
    public void Add(BatchEntry entry, long node, long joinId, long roomRef, ReadOnlySpan<byte> name, string? roomName, ReadOnlySpan<byte> message, bool reaped = false)
    {
        if (entry.Kind == RoomEventKind.Chat && ExtendsRun(entry, roomRef))
        {
            var (id, at, length) = _units[^1];
            Reserve(EventCodec.RunGrowth(message.Length));
            int count = EventCodec.AppendToRun(_buffer.AsSpan(at), length, message);
            int grown = length + EventCodec.RunGrowth(message.Length);
            _units[^1] = (id, at, grown);
            _entries[^1] = entry with { Count = count };
            _used = at + grown;
            return;
        }

        int roomBytes = roomName is null ? 0 : Encoding.UTF8.GetByteCount(roomName);
        int size = EventCodec.PieceSize(name.Length, roomBytes, message.Length, entry.Kind == RoomEventKind.Chat);
        Reserve(size);
        Span<byte> roomUtf8 = roomBytes <= 256 ? stackalloc byte[roomBytes] : new byte[roomBytes];
        if (roomName is not null)
        {
            Encoding.UTF8.GetBytes(roomName, roomUtf8);
        }

        EventCodec.WritePiece(_buffer.AsSpan(_used), entry.Kind, node, joinId, roomRef, name, roomUtf8, message, reaped);
        _units.Add((joinId, _used, size));
        _entries.Add(entry);
        _used += size;
        if (_roomsSeen.Add(roomRef))
        {
            _rooms.Add(roomRef);
        }
    }

    /// <summary>KEYS: the publisher's registered key, then each room's keys in the order the batch first names it.</summary>
    public RedisKey[] Keys(RedisKey registered)
    {
        var keys = new RedisKey[1 + (3 * _rooms.Count)];
        keys[0] = registered;
        int at = 1;
        foreach (long roomRef in _rooms)
        {
            var room = ClusterKeys.Room(roomRef);
            keys[at++] = room.Members;
            keys[at++] = room.Nodes;
            keys[at++] = room.Seq;
        }

        return keys;
    }

    /// <summary>The script's ARGV; the pieces are slices of this batch's one buffer, which the batch no longer changes.</summary>
    public RedisValue[] Arguments(long publisher, string incarnation, long deadlineMs)
    {
        var args = new RedisValue[Leading + (2 * _units.Count)];
        args[0] = publisher;
        args[1] = incarnation;
        args[2] = deadlineMs;
        int at = Leading;
        var buffer = new ReadOnlyMemory<byte>(_buffer);
        foreach (var (joinId, offset, length) in _units)
        {
            args[at++] = joinId;
            args[at++] = buffer.Slice(offset, length);
        }

        return args;
    }

    /// <summary>The last unit is a run of this member's chats in this room, with room for one more.</summary>
    private bool ExtendsRun(BatchEntry entry, long roomRef) =>
        _entries.Count > 0
        && _entries[^1] is { Kind: RoomEventKind.Chat } last
        && last.Connection == entry.Connection
        && last.Room == entry.Room
        && last.Room?.Ref == roomRef
        && last.Count < EventCodec.MaxRun;

    private void Reserve(int bytes)
    {
        if (_used + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + bytes));
        }
    }
}
