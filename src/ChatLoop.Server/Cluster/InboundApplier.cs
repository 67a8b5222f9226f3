using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;
using NLog;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Applies what Redis routed to this node: one inbox message per publishing node per batch, its events
/// applied in order through the <see cref="EventApplier"/>, each room's numbers checked for gaps. It keeps
/// this node's members by JOIN_ID (an event names its member by node and JOIN_ID) and hands each event of a
/// local member back to the sequencer (<c>ownEventApplied</c>), which ends the request. Reactor thread only.
/// </summary>
internal sealed class InboundApplier
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly long _node;
    private readonly RoomTable _rooms;
    private readonly EventApplier _applier;
    private readonly Outbox _out;
    private readonly Action<Connection, RoomEventKind, Room?, long> _ownEventApplied;
    private readonly Dictionary<long, Connection> _byJoinId = [];
    private long _applied;

    public InboundApplier(long node, RoomTable rooms, EventApplier applier, Outbox outbox, Action<Connection, RoomEventKind, Room?, long> ownEventApplied)
    {
        _node = node;
        _rooms = rooms;
        _applier = applier;
        _out = outbox;
        _ownEventApplied = ownEventApplied;
    }

    /// <summary>Events applied (EVENTS_APPLIED).</summary>
    public long Applied => _applied;

    public RoomSequences Sequences { get; } = new();

    /// <summary>This node's members that have a JOIN_ID, by it.</summary>
    public IReadOnlyDictionary<long, Connection> Members => _byJoinId;

    /// <summary>A local connection got its JOIN_ID: events naming it are its own.</summary>
    public void AddMember(Connection c) => _byJoinId[c.Member.JoinId] = c;

    public void RemoveMember(long joinId) => _byJoinId.Remove(joinId);

    /// <summary>One inbox message: a publishing node's batch, the events of rooms this node follows, applied in order.</summary>
    public void ApplyBatch(byte[] message)
    {
        if (!EventCodec.TryReadHeader(message, out long publisher, out var rest))
        {
            Log.Error("Cluster: an inbox message without a header ({Length} bytes); treated as lost events", message.Length);
            LostEvents(null);
            return;
        }

        while (!rest.IsEmpty)
        {
            if (!EventCodec.TryReadEvent(ref rest, out var e))
            {
                // What it held is unknown: every local client may have missed an event.
                Log.Error("Cluster: a batch from node {Node} does not decode ({Left} of {Length} bytes left); treated as lost events", publisher, rest.Length, message.Length);
                LostEvents(null);
                return;
            }

            Apply(e);
        }
    }

    /// <summary>Members of the room (or of every room, when null) may have missed blocks: ERROR 12 and close.</summary>
    public void LostEvents(Room? room, string why = "this node missed events")
    {
        if (room is null)
        {
            Sequences.CountGap();
            foreach (var c in _byJoinId.Values)
            {
                _out.Fail(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + why);
            }

            return;
        }

        foreach (var c in room.Members.ToArray())
        {
            _out.Fail(c, ErrorCode.ClusterUnavailable, $"cluster unavailable: this node missed events of room {room.Ref}");
        }
    }

    /// <summary>Rooms Redis has numbered past what this node applied (read after the subscription came back): their members missed events.</summary>
    public void CompareSequences(long[] refs, long[] seqs)
    {
        foreach (long roomRef in Sequences.Behind(refs, seqs))
        {
            LostEvents(_rooms.Find(roomRef));
        }
    }

    /// <summary>One unit: an event, or a run of a member's chats numbered from <see cref="ClusterEvent.Seq"/> on.</summary>
    private void Apply(in ClusterEvent e)
    {
        _applied += e.Count;
        if (!Sequences.Follows(e.RoomRef, e.Seq))
        {
            LostEvents(_rooms.Find(e.RoomRef));
        }

        var origin = e.Node == _node ? _byJoinId.GetValueOrDefault(e.JoinId) : null;
        var room = _rooms.Find(e.RoomRef);
        if (room is null && origin is not null && e.Kind == RoomEventKind.Join)
        {
            room = _rooms.GetOrAdd(Encoding.UTF8.GetString(e.RoomName), e.RoomRef);
        }

        if (e.Reaped && origin is not null)
        {
            // Survivors took this node for dead while it was frozen and reaped this member: it is told, and closed.
            _out.Fail(origin, ErrorCode.ClusterUnavailable, "cluster unavailable: this node was taken for dead; your rooms were left");
        }

        if (room is not null && e.Kind == RoomEventKind.Chat)
        {
            var bodies = e.Message;
            for (int i = 0; i < e.Count; i++)
            {
                _applier.Apply(new RoomEvent(RoomEventKind.Chat, room, origin, e.Name, EventCodec.NextMessage(ref bodies)));
            }
        }
        else if (room is not null)
        {
            _applier.Apply(new RoomEvent(e.Kind, room, origin, e.Name, default));
        }

        Sequences.Track(e.RoomRef, e.Seq + e.Count - 1, room);
        if (origin is not null && e.Kind != RoomEventKind.Chat)
        {
            _ownEventApplied(origin, e.Kind, room, e.RoomRef);
        }
    }
}
