using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;
using NLog;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The reactor's side of a cluster node (CLUSTER.md): events go to Redis, and every node, this one
/// included, applies them when Redis hands them back, in the room's order. The backplane's threads only
/// put items on the inbox and wake the reactor; <see cref="Drain"/>, a step of the tick, applies them.
/// </summary>
internal sealed partial class ClusterSequencer : ISequencer, IDisposable
{
    /// <summary>
    /// A JOIN or LEAVE whose event has not come back this long after Redis's deadline (an event lost on a
    /// dropped subscription) ends with ERROR 12 and the client is closed, rather than hold its input forever.
    /// </summary>
    private static readonly TimeSpan StuckGrace = TimeSpan.FromSeconds(5);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ClusterInbox _inbox;
    private readonly CommandHandler _handler;
    private readonly RoomTable _rooms;
    private readonly EventApplier _applier;
    private readonly Outbox _out;
    private readonly Dictionary<long, Connection> _byJoinId = [];
    private readonly Dictionary<long, long> _lastSeq = [];

    /// <summary>Connections whose JOIN is on its way to Redis, and the room: if it never comes back, it is left again.</summary>
    private readonly Dictionary<Connection, Room> _joining = [];
    /// <summary>Leaving connections one of whose gone events Redis did not take: they leave their remaining rooms again.</summary>
    private readonly List<Connection> _goneRetry = [];

    /// <summary>Leaving connections retried one room at a time, the next once the last was taken, so the notices stay in ref order.</summary>
    private readonly HashSet<Connection> _goneChain = [];
    private readonly RedisBackplane _backplane;
    private readonly Queue<(Connection C, long Since)> _pendingWatch = new();
    private readonly TimeProvider _time;
    private readonly long _stuckTicks;
    private EventBatch _batch = new();
    private long _nextJoinId;
    private long _joinIdBlockEnd;
    private long _applied;
    private long _gaps;
    private long _registrations;

    public ClusterSequencer(ServerSettings settings, CommandHandler handler, Wakeup wakeup, TimeProvider time)
    {
        _time = time;
        _handler = handler;
        _rooms = handler.Rooms;
        _applier = handler.Applier;
        _out = handler.Outbox;
        _inbox = new ClusterInbox(ClusterInbox.DefaultByteLimit, wakeup.Signal);
        _stuckTicks = (long)((settings.RedisTimeout + StuckGrace).TotalSeconds * time.TimestampFrequency);
        _backplane = RedisBackplane.Connect(settings, time, _inbox.Post);
        Log.Info("Cluster node {Node} on Redis {Redis}", _backplane.NodeId, settings.Redis);
    }

    public bool AppliesAtOnce => false;

    public string? Unavailable => _backplane.Down;

    public string? State => _backplane.Down is null ? "up" : "down";

    public long NodeId => _backplane.NodeId;

    public void Join(Connection c, string roomName, string clientName, Room? room)
    {
        BeginPending(c);
        long joinId = c.Member.JoinId;
        if (joinId == 0 && _nextJoinId != 0 && _nextJoinId <= _joinIdBlockEnd)
        {
            joinId = _nextJoinId++;
        }

        _ = _backplane.ResolveJoinAsync(c, roomName, clientName, c.Member.Name is null, joinId, room?.Ref ?? -1);
    }

    public void Submit(in RoomEvent e)
    {
        // A closing connection's leaving (gone) is not counted: it is done once its rooms are empty.
        var c = e.Origin!;
        if (e.Kind == RoomEventKind.Leave)
        {
            BeginPending(c);
        }

        Publish(c, e.Kind, e.Room, e.Message);
    }

    /// <summary>The cluster's STATS and /metrics figures (PROTOCOL.md §7), for <see cref="ServerStats.Supplier"/>.</summary>
    public int FillStats(Span<KeyValuePair<string, long>> into)
    {
        KeyValuePair<string, long>[] values =
        [
            new("CLUSTER_NODES", _backplane.LiveNodes),
            new("CLUSTER_UP", _backplane.Down is null ? 1 : 0),
            new("EVENTS_PUBLISHED", _backplane.Published),
            new("EVENTS_APPLIED", _applied),
            new("EVENT_GAPS", _gaps),
            new("NODES_REAPED", _backplane.Reaped),
        ];
        values.CopyTo(into);
        return values.Length;
    }

    /// <summary>Reactor thread, a step of every tick: applies what the backplane handed over, in order.</summary>
    public void Drain()
    {
        if (_inbox.TakeOverflow())
        {
            // Events were dropped: which rooms they were for is unknown, so every local client may have missed one.
            Log.Warn("Cluster: the inbox reached {Limit} bytes; events were dropped", ClusterInbox.DefaultByteLimit);
            LostEvents(null, "this node missed events");
        }

        while (_inbox.TryTake(out var item))
        {
            try
            {
                Handle(item);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.Error(e, "Cluster: could not handle {Kind}", item.Kind);
            }
        }

        ExpireStuckRequests();
        if (_goneRetry.Count > 0 && Unavailable is null)
        {
            // Each connection leaves its remaining rooms again from the lowest ref, one at a time, whatever
            // order the failures came back in; one whose event is still on its way is a no-op in Redis.
            var retry = _goneRetry.Distinct().ToArray();
            _goneRetry.Clear();
            foreach (var c in retry)
            {
                _goneChain.Add(c);
                NextGone(c, -1);
            }
        }
    }

    /// <summary>
    /// Set by a node stopping on purpose once each of its clients has left every room: only then does it
    /// unregister. Otherwise (Redis slow or away meanwhile) its members and names stay for a survivor to reap.
    /// </summary>
    public bool EveryoneLeft { get; set; }

    public void Dispose() => _backplane.Dispose(unregister: EveryoneLeft);

    /// <summary>
    /// Reactor thread, the last step of a tick: every event the tick produced goes to Redis in one script
    /// run (a few when it was bigger than a batch). No timer: a batch is what one tick produced.
    /// </summary>
    public void SendBatch()
    {
        if (_batch.Count > 0)
        {
            _backplane.Send(_batch);
            _batch = new EventBatch();
        }
    }

    /// <summary>Adds the event to this tick's batch; a full batch is sent at once (order is kept: they are pipelined).</summary>
    private void Publish(Connection c, RoomEventKind kind, Room room, ReadOnlySpan<byte> message)
    {
        _batch.Add(new BatchEntry(c, kind, room), _backplane.NodeId, c.Member.JoinId, room.Ref, c.Member.NameUtf8, kind == RoomEventKind.Join ? room.Name : null, message);
        if (_batch.IsFull)
        {
            SendBatch();
        }
    }

    private void Handle(ClusterInbound item)
    {
        switch (item.Kind)
        {
            case InboundKind.Event: ApplyBatch(item.Payload!); break;
            case InboundKind.JoinReady: JoinReady(item); break;
            case InboundKind.Refused:
                item.Connection!.Member.ClusterRequests.End();
                _out.Error(item.Connection, item.Code, item.Why!);
                break;
            case InboundKind.Failed: Failed(item.Connection!, item.EventKind, item.Room!, item.Why!); break;
            case InboundKind.Duplicate: Duplicate(item.Connection!, item.EventKind, item.Room!); break;
            case InboundKind.NotMember:
                _out.Error(item.Connection!, ErrorCode.NotMember, $"not a member of room {item.Room!.Ref}");
                break;
            case InboundKind.Reregister: _ = _backplane.ReregisterAsync(Snapshot()); break;
            case InboundKind.Registered: _registrations++; CheckForLostEvents(); break;
            case InboundKind.Resubscribed: CheckForLostEvents(); break;
            case InboundKind.SequencesRead: CompareSequences(item.Refs!, item.Seqs!, item.Registrations); break;
            case InboundKind.Reaped:
                LostEvents(null, "this node was taken for dead; your rooms were left");
                _ = _backplane.ReincarnateAsync();
                break;
        }
    }

    private void JoinReady(ClusterInbound item)
    {
        var c = item.Connection!;
        if (item.JoinIdBlockEnd != 0)
        {
            _nextJoinId = item.JoinId + 1;
            _joinIdBlockEnd = item.JoinIdBlockEnd;
        }

        if (!c.IsOpen)
        {
            c.Member.ClusterRequests.End();
            if (c.Member.Name is null)
            {
                _backplane.ReleaseName(item.ClientName!);
            }

            MaybeFinishRetire(c);
            return;
        }

        if (c.Member.Name is null)
        {
            c.Member.Bind(item.ClientName!, item.JoinId);
            _handler.Names.Claim(item.ClientName!, c);
            _byJoinId[c.Member.JoinId] = c;
        }

        var room = _rooms.GetOrAdd(item.RoomName!, item.RoomRef);
        if (room is null)
        {
            c.Member.ClusterRequests.End();
            if (_rooms.Find(item.RoomRef) is not null)
            {
                _out.Error(c, ErrorCode.ClusterUnavailable, $"cluster unavailable: ref {item.RoomRef} is another room's here (Redis restarted and refs are being registered again)");
            }
            else
            {
                _out.Error(c, ErrorCode.LimitReached, "limit reached: this node's room table is full of rooms in use");
            }

            return;
        }

        _joining[c] = room;

        // Recorded before the join is sequenced (the same connection keeps the order), so a reaper finds
        // every membership this node may hold; one Redis refuses is a no-op when reaped (SREM finds nothing).
        _backplane.RecordMember(c.Member.JoinId, c.Member.Name!, [.. c.Member.Rooms ?? [], room]);
        Publish(c, RoomEventKind.Join, room, default);
    }
}
