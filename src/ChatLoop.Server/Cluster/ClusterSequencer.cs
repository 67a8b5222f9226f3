using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;
using NLog;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The reactor's side of a cluster node (CLUSTER.md): events go to Redis, and every node, this one
/// included, applies them when Redis hands them back, in the room's order. The backplane's threads only
/// put items on the inbox and wake the reactor; <see cref="Drain"/>, a step of the tick, takes them: events
/// to the <see cref="InboundApplier"/>, answers and refusals to the requests they end. It owns the tick's
/// batch; <see cref="ClusterJoins"/> (a JOIN's Redis side and the JOIN_ID block), <see cref="RequestWatch"/>
/// and <see cref="LeaveRetries"/> own the requests under way.
/// </summary>
internal sealed class ClusterSequencer : ISequencer, IDisposable
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ClusterInbox _inbox;
    private readonly CommandHandler _handler;
    private readonly RoomTable _rooms;
    private readonly Outbox _out;
    private readonly RedisBackplane _backplane;
    private readonly InboundApplier _inbound;
    private readonly RequestWatch _requests;
    private readonly LeaveRetries _leaves;
    private readonly ClusterJoins _joins;
    private readonly RequestAnswers _answers;
    private EventBatch _batch = new();
    private long _registrations;

    public ClusterSequencer(ServerSettings settings, CommandHandler handler, Wakeup wakeup, TimeProvider time)
    {
        _handler = handler;
        _rooms = handler.Rooms;
        _out = handler.Outbox;
        _inbox = new ClusterInbox(ClusterInbox.DefaultByteLimit, wakeup.Signal);
        _requests = new RequestWatch(time, settings.RedisTimeout);
        _leaves = new LeaveRetries((c, room) => Publish(c, RoomEventKind.Gone, room, default));
        _backplane = RedisBackplane.Connect(settings, time, _inbox.Post);
        _inbound = new InboundApplier(_backplane.NodeId, _rooms, handler.Applier, _out, OwnEventApplied);
        _answers = new RequestAnswers(_requests, _leaves, _out, MaybeFinishRetire);
        _joins = new ClusterJoins(_backplane, handler, _requests, _inbound, (c, room) => Publish(c, RoomEventKind.Join, room, default), MaybeFinishRetire);
        Log.Info("Cluster node {Node} on Redis {Redis}", _backplane.NodeId, settings.Redis);
    }

    public bool AppliesAtOnce => false;

    public string? Unavailable => _backplane.Down;

    public string? State => _backplane.Down is null ? "up" : "down";

    public long NodeId => _backplane.NodeId;

    /// <summary>How many rooms' sequence numbers this node follows (the rooms with local members).</summary>
    internal int TrackedRooms => _inbound.Sequences.Count;

    /// <summary>Tests: hands the reactor an item as the backplane's threads do (a batch's reply that failed, say).</summary>
    internal void PostForTest(ClusterInbound item) => _inbox.Post(item);

    /// <summary>Tests, once the node is idle: the local member with this JOIN_ID.</summary>
    internal Connection? MemberForTest(long joinId) => _inbound.Members.GetValueOrDefault(joinId);

    /// <summary>
    /// Set by a node stopping on purpose once each of its clients has left every room: only then does it
    /// unregister. Otherwise (Redis slow or away meanwhile) its members and names stay for a survivor to reap.
    /// </summary>
    public bool EveryoneLeft { get; set; }

    public void Submit(in RoomEvent e)
    {
        var c = e.Origin!;
        if (e.Kind == RoomEventKind.Join)
        {
            // Settled with Redis first (name lease, JOIN_ID, ref): published when the answer comes back.
            _joins.Join(c, e.Room, e.RoomName, e.ClientName!);
            return;
        }

        // A closing connection's leaving (gone) is not counted: it is done once its rooms are empty.
        if (e.Kind == RoomEventKind.Leave)
        {
            _requests.Begin(c);
        }

        Publish(c, e.Kind, e.Room!, e.Message);
    }

    public void Retiring(Connection c) => MaybeFinishRetire(c);

    /// <summary>The cluster's STATS and /metrics figures (PROTOCOL.md §7), for <see cref="ServerStats.Supplier"/>.</summary>
    public int FillStats(Span<KeyValuePair<string, long>> into)
    {
        KeyValuePair<string, long>[] values =
        [
            new("CLUSTER_NODES", _backplane.LiveNodes),
            new("CLUSTER_UP", _backplane.Down is null ? 1 : 0),
            new("EVENTS_PUBLISHED", _backplane.Published),
            new("EVENTS_APPLIED", _inbound.Applied),
            new("EVENT_GAPS", _inbound.Sequences.Gaps),
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
            _inbound.LostEvents(null, "this node missed events");
        }

        while (_inbox.TryTake(out var item))
        {
            try
            {
                Handle(item);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.Error(e, "Cluster: could not handle {Kind}", item.GetType().Name);
            }
        }

        ExpireStuckRequests();
        if (_leaves.HasFailed && Unavailable is null)
        {
            _leaves.RetryFailed();
        }
    }

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
        switch (item)
        {
            case ClusterInbound.Event e: _inbound.ApplyBatch(e.Payload); break;
            case ClusterInbound.JoinReady j: _joins.Ready(j.Connection, j.Answer); break;
            case ClusterInbound.Refused r:
                r.Connection.Member.ClusterRequests.End();
                _out.Error(r.Connection, r.Code, r.Why);
                break;
            case ClusterInbound.Failed f: _answers.Failed(f.Connection, f.Kind, f.Room, f.Why); break;
            case ClusterInbound.Duplicate d: _answers.Duplicate(d.Connection, d.Kind, d.Room); break;
            case ClusterInbound.NotMember n:
                _out.Error(n.Connection, ErrorCode.NotMember, $"not a member of room {n.Room.Ref}");
                break;
            case ClusterInbound.Reregister: _ = _backplane.ReregisterAsync(Snapshot()); break;
            case ClusterInbound.Registered: _registrations++; CheckForLostEvents(); break;
            case ClusterInbound.Resubscribed: CheckForLostEvents(); break;
            case ClusterInbound.SequencesRead { Reading: var reading }:
                if (reading.Registrations == _registrations)
                {
                    _inbound.CompareSequences(reading.Refs, reading.Seqs);
                }

                break;
            case ClusterInbound.Reaped:
                _inbound.LostEvents(null, "this node was taken for dead; your rooms were left");
                _ = _backplane.ReincarnateAsync();
                break;
        }
    }

    /// <summary>A local member's join, leave or gone came back from Redis and was applied: its request ends.</summary>
    private void OwnEventApplied(Connection origin, RoomEventKind kind, Room? room, long roomRef)
    {
        if (kind == RoomEventKind.Join)
        {
            _requests.JoinEnded(origin);
        }
        else if (kind == RoomEventKind.Gone)
        {
            _leaves.Taken(origin, roomRef);
        }

        if (kind is RoomEventKind.Join or RoomEventKind.Leave)
        {
            origin.Member.ClusterRequests.End();
        }

        _backplane.RecordMember(origin.Member.JoinId, origin.Member.Name!, origin.Member.Rooms);
        if (origin.Member.RetireStarted && kind == RoomEventKind.Join && room is not null && origin.Member.IsIn(room))
        {
            // It closed while its JOIN was on its way: it leaves that room too.
            Publish(origin, RoomEventKind.Gone, room, default);
        }

        MaybeFinishRetire(origin);
    }

    /// <summary>The subscription dropped and came back: ask Redis how far each room with local members has got.</summary>
    private void CheckForLostEvents()
    {
        var refs = _inbound.Sequences.Followed(_rooms);
        Log.Warn("Cluster: the subscription came back; checking {Count} rooms for lost events", refs.Length);
        _ = _backplane.ReadSequencesAsync(refs, _registrations);
    }

    private void ExpireStuckRequests()
    {
        while (_requests.TryTakeStuck(out var c, out var joining))
        {
            Log.Warn("Connection {Id}: a request got no answer from the cluster; closing it", c.Id);
            if (joining is not null)
            {
                // Its JOIN may have been sequenced and only its event lost here: the other nodes and the
                // room's members set then count it, so it leaves (SREM makes this a no-op if it never joined).
                Publish(c, RoomEventKind.Gone, joining, default);
            }

            _out.Fail(c, ErrorCode.ClusterUnavailable, "cluster unavailable: the cluster did not answer a request");
        }
    }

    private void MaybeFinishRetire(Connection c)
    {
        if (!c.Member.RetireStarted || c.Member.Retired || c.Member.ClusterRequests.Any || c.Member.Rooms is { Count: > 0 })
        {
            return;
        }

        _handler.FinishRetire(c);
        _requests.JoinEnded(c);
        _leaves.Forget(c);
        if (c.Member.JoinId != 0)
        {
            _inbound.RemoveMember(c.Member.JoinId);
            _backplane.RecordMember(c.Member.JoinId, c.Member.Name!, null);
            _backplane.ReleaseName(c.Member.Name!);
        }
    }

    private ClusterSnapshot Snapshot() =>
        ClusterSnapshot.Take(_rooms, _inbound.Members, _joins.JoinIds.End, _inbound.Sequences.Snapshot());
}
