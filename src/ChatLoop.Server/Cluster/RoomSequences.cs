using ChatLoop.Server.Rooms;
using NLog;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The last sequence number this node applied in each room it follows. Redis numbers each room's events
/// 1, 2, 3...: a number skipped, or a room found further on in Redis than here, is events this node missed,
/// and is never delivered around silently (the caller closes the room's local members with ERROR 12).
/// Only rooms with local members are followed (Redis routes a room to a node from its first local join to
/// its last local leave), so the table is as big as the rooms this node serves. Reactor thread only.
/// </summary>
internal sealed class RoomSequences
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly Dictionary<long, long> _lastSeq = [];
    private long _gaps;

    /// <summary>How many rooms' sequence numbers this node follows (the rooms with local members).</summary>
    public int Count => _lastSeq.Count;

    /// <summary>Gaps found (EVENT_GAPS).</summary>
    public long Gaps => _gaps;

    /// <summary>A gap this node found some other way (events dropped, a batch that does not decode).</summary>
    public void CountGap() => _gaps++;

    /// <summary>False (a gap, counted) when <paramref name="seq"/> does not follow what this node applied in the room.</summary>
    public bool Follows(long roomRef, long seq)
    {
        // After Redis lost data the nodes move each room's sequence past what they saw: one starting again
        // at 1, or going backwards, is events lost like a jump forward.
        if (_lastSeq.TryGetValue(roomRef, out long last) && seq != last + 1)
        {
            _gaps++;
            Log.Warn("Cluster: room {Ref} jumped from event {Last} to {Seq}; closing its local members", roomRef, last, seq);
            return false;
        }

        return true;
    }

    /// <summary>The room's last applied number, while it has local members: the first local join starts it, its last local leave ends it.</summary>
    public void Track(long roomRef, long seq, Room? room)
    {
        if (room is { Members.Count: > 0 })
        {
            _lastSeq[roomRef] = seq;
        }
        else
        {
            _lastSeq.Remove(roomRef);
        }
    }

    /// <summary>The rooms to ask Redis about after the subscription came back: those with local members that are followed.</summary>
    public long[] Followed(RoomTable rooms) =>
        rooms.All.Where(r => r.Members.Count > 0 && _lastSeq.ContainsKey(r.Ref)).Select(r => r.Ref).ToArray();

    /// <summary>The rooms that Redis has numbered further than this node applied (each a gap, counted).</summary>
    public List<long> Behind(long[] refs, long[] seqs)
    {
        var behind = new List<long>();
        for (int i = 0; i < refs.Length; i++)
        {
            if (_lastSeq.TryGetValue(refs[i], out long last) && last < seqs[i])
            {
                _gaps++;
                Log.Warn("Cluster: room {Ref} reached event {Seq} while this node had {Last}; closing its local members", refs[i], seqs[i], last);
                behind.Add(refs[i]);
            }
        }

        return behind;
    }

    /// <summary>Each followed room's last number, for registering again.</summary>
    public List<(long Ref, long Seq)> Snapshot() => _lastSeq.Select(p => (p.Key, p.Value)).ToList();
}
