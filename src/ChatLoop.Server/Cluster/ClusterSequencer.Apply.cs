using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;

namespace ChatLoop.Server.Cluster;

/// <summary>Applying what came back from Redis, and the bookkeeping of requests that did not get there.</summary>
internal sealed partial class ClusterSequencer
{
    public void Retiring(Connection c) => MaybeFinishRetire(c);

    /// <summary>One unit: an event, or a run of a member's chats numbered from <see cref="ClusterEvent.Seq"/> on.</summary>
    private void Apply(in ClusterEvent e)
    {
        _applied += e.Count;
        CheckSequence(e.RoomRef, e.Seq);
        var origin = e.Node == _backplane.NodeId ? _byJoinId.GetValueOrDefault(e.JoinId) : null;
        var room = _rooms.Find(e.RoomRef);
        if (room is null && origin is not null && e.Kind == RoomEventKind.Join)
        {
            room = _rooms.GetOrAdd(System.Text.Encoding.UTF8.GetString(e.RoomName), e.RoomRef);
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

        Track(e.RoomRef, e.Seq + e.Count - 1, room);

        if (origin is null || e.Kind == RoomEventKind.Chat)
        {
            return;
        }

        if (e.Kind == RoomEventKind.Join)
        {
            _joining.Remove(origin);
        }
        else if (e.Kind == RoomEventKind.Gone && _goneChain.Contains(origin))
        {
            NextGone(origin, e.RoomRef);
        }

        if (e.Kind is RoomEventKind.Join or RoomEventKind.Leave)
        {
            origin.Member.ClusterRequests.End();
        }

        _backplane.RecordMember(origin.Member.JoinId, origin.Member.Name!, origin.Member.Rooms);
        if (origin.Member.RetireStarted && e.Kind == RoomEventKind.Join && room is not null && origin.Member.IsIn(room))
        {
            // It closed while its JOIN was on its way: it leaves that room too.
            Publish(origin, RoomEventKind.Gone, room, default);
        }

        MaybeFinishRetire(origin);
    }

    /// <summary>
    /// Redis numbers each room's events 1, 2, 3...: a number skipped is an event this node missed. It is
    /// never delivered around silently: the room's local members get ERROR 12 and are closed.
    /// </summary>
    private void CheckSequence(long roomRef, long seq)
    {
        // After Redis lost data the nodes move each room's sequence past what they saw: one starting again
        // at 1, or going backwards, is events lost like a jump forward.
        if (_lastSeq.TryGetValue(roomRef, out long last) && seq != last + 1)
        {
            _gaps++;
            Log.Warn("Cluster: room {Ref} jumped from event {Last} to {Seq}; closing its local members", roomRef, last, seq);
            LostEvents(_rooms.Find(roomRef));
        }
    }

    /// <summary>
    /// Only rooms with local members are followed (Redis routes a room to a node from its first local join to its last local leave): the first local join
    /// starts it, its last local leave ends it, so the table is as big as the rooms this node serves.
    /// </summary>
    private void Track(long roomRef, long seq, Room? room)
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

    /// <summary>How many rooms' sequence numbers this node follows (the rooms with local members).</summary>
    internal int TrackedRooms => _lastSeq.Count;

    /// <summary>The subscription dropped and came back: ask Redis how far each room with local members has got.</summary>
    private void CheckForLostEvents()
    {
        var refs = _rooms.All.Where(r => r.Members.Count > 0 && _lastSeq.ContainsKey(r.Ref)).Select(r => r.Ref).ToArray();
        Log.Warn("Cluster: the subscription came back; checking {Count} rooms for lost events", refs.Length);
        _ = _backplane.ReadSequencesAsync(refs, _registrations);
    }

    private void CompareSequences(long[] refs, long[] seqs, long registrations)
    {
        if (registrations != _registrations)
        {
            return;
        }

        for (int i = 0; i < refs.Length; i++)
        {
            if (_lastSeq.TryGetValue(refs[i], out long last) && last < seqs[i])
            {
                _gaps++;
                Log.Warn("Cluster: room {Ref} reached event {Seq} while this node had {Last}; closing its local members", refs[i], seqs[i], last);
                LostEvents(_rooms.Find(refs[i]));
            }
        }
    }

    /// <summary>Members of the room (or of every room, when null) may have missed blocks: ERROR 12 and close.</summary>
    private void LostEvents(Room? room, string why = "this node missed events")
    {
        if (room is null)
        {
            _gaps++;
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

    private void Failed(Connection c, RoomEventKind kind, Room room, string why)
    {
        switch (kind)
        {
            case RoomEventKind.Gone:
                // Nobody was told anything yet: it stays pending and is sent again once the backplane is back.
                _goneRetry.Add(c);
                return;
            case RoomEventKind.Join:
                _joining.Remove(c);
                c.Member.ClusterRequests.End();
                break;
            case RoomEventKind.Leave:
                c.Member.ClusterRequests.End();
                break;
        }

        _out.Error(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + why);
        MaybeFinishRetire(c);
    }

    private void Duplicate(Connection c, RoomEventKind kind, Room room)
    {
        switch (kind)
        {
            case RoomEventKind.Join:
                _joining.Remove(c);
                c.Member.ClusterRequests.End();
                _out.AlreadyMember(c, room);
                break;
            case RoomEventKind.Leave:
                c.Member.ClusterRequests.End();
                _out.Left(c, room.Ref, c.Member.JoinId);
                break;
            case RoomEventKind.Gone:
                // Already left in Redis (by an earlier try, or by a reaper): its event removes the member here.
                if (_goneChain.Contains(c))
                {
                    NextGone(c, room.Ref);
                }

                break;
        }

        MaybeFinishRetire(c);
    }

    /// <summary>A retried leaving: the gone event of the connection's first room past <paramref name="afterRef"/>, if any.</summary>
    private void NextGone(Connection c, long afterRef)
    {
        var next = c.Member.Rooms?.Find(r => r.Ref > afterRef);
        if (next is null)
        {
            _goneChain.Remove(c);
            return;
        }

        Publish(c, RoomEventKind.Gone, next, default);
    }

    private void BeginPending(Connection c)
    {
        if (c.Member.ClusterRequests.Begin(_time.GetTimestamp()))
        {
            _pendingWatch.Enqueue((c, c.Member.ClusterRequests.Since));
        }
    }

    /// <summary>Oldest first: only the head can be overdue.</summary>
    private void ExpireStuckRequests()
    {
        long now = _time.GetTimestamp();
        while (_pendingWatch.TryPeek(out var head))
        {
            var (c, since) = head;
            bool current = c.Member.ClusterRequests.Any && c.Member.ClusterRequests.Since == since;
            if (current && now - since < _stuckTicks)
            {
                return;
            }

            _pendingWatch.Dequeue();
            if (current)
            {
                Log.Warn("Connection {Id}: a request got no answer from the cluster; closing it", c.Id);
                c.Member.ClusterRequests.Abandon();
                if (_joining.Remove(c, out var room))
                {
                    // Its JOIN may have been sequenced and only its event lost here: the other nodes and the
                    // room's members set then count it, so it leaves (SREM makes this a no-op if it never joined).
                    Publish(c, RoomEventKind.Gone, room, default);
                }

                _out.Fail(c, ErrorCode.ClusterUnavailable, "cluster unavailable: the cluster did not answer a request");
            }
        }
    }

    private void MaybeFinishRetire(Connection c)
    {
        if (!c.Member.RetireStarted || c.Member.Retired || c.Member.ClusterRequests.Any || c.Member.Rooms is { Count: > 0 })
        {
            return;
        }

        _handler.FinishRetire(c);
        _joining.Remove(c);
        _goneChain.Remove(c);
        if (c.Member.JoinId != 0)
        {
            _byJoinId.Remove(c.Member.JoinId);
            _backplane.RecordMember(c.Member.JoinId, c.Member.Name!, null);
            _backplane.ReleaseName(c.Member.Name!);
        }
    }

    private ClusterSnapshot Snapshot()
    {
        var rooms = new List<(string, long)>();
        long nextRef = 0;
        foreach (var room in _rooms.All)
        {
            rooms.Add((room.Name, room.Ref));
            nextRef = Math.Max(nextRef, room.Ref + 1);
        }

        var members = new List<ClusterMember>();
        foreach (var c in _byJoinId.Values)
        {
            if (c.Member.Name is { } name && c.Member.Rooms is { Count: > 0 } joined)
            {
                members.Add(new ClusterMember(c.Member.JoinId, name, joined.Select(r => r.Ref).ToArray()));
            }
        }

        var seqs = _lastSeq.Select(p => (p.Key, p.Value)).ToList();
        return new ClusterSnapshot(rooms, members, nextRef, Math.Max(_joinIdBlockEnd, _byJoinId.Keys.DefaultIfEmpty().Max()), seqs);
    }
}
