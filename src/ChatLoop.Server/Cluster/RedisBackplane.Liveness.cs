using StackExchange.Redis;

namespace ChatLoop.Server;

/// <summary>
/// Liveness (CLUSTER.md): each node refreshes its key with a TTL; a node whose key has stayed gone for a
/// grace period, counted only while this node's own refreshes succeed, is reaped once. A paused Redis
/// lets every key expire at once, but every live node refreshes its own within one interval of Redis
/// answering again, well inside the grace period.
/// </summary>
internal sealed partial class RedisBackplane
{
    /// <summary>
    /// A reap in progress holds its claim this long, refreshed per member; a reaper that fails or dies
    /// lets another survivor (or itself, next tick) try again soon rather than leave ghosts for long.
    /// </summary>
    private static readonly TimeSpan ReapClaim = TimeSpan.FromSeconds(30);

    /// <summary>A finished reap's claim stays this long: a node frozen meanwhile learns from it, on thawing, that it was reaped.</summary>
    private static readonly TimeSpan ReapRecord = TimeSpan.FromMinutes(10);

    /// <summary>A TIME answered slower than this says little about the offset (it is off by up to half the round trip): the last one stays.</summary>
    private static readonly TimeSpan SlowClockReading = TimeSpan.FromMilliseconds(100);

    private readonly Timer _liveness;
    private readonly Dictionary<long, long> _missingSince = [];
    private readonly string _epoch;
    private int _ticking;
    private volatile int _liveNodes = 1;
    private long _reaped;
    private volatile bool _reregistering;

    public int LiveNodes => _liveNodes;

    public long Reaped => Interlocked.Read(ref _reaped);

    /// <summary>How often a node refreshes its key: every second, faster for short node timeouts.</summary>
    private TimeSpan LivenessInterval => TimeSpan.FromMilliseconds(Math.Min(1000, _settings.NodeTimeout.TotalMilliseconds / 6));

    private TimeSpan LivenessTtl => LivenessInterval * 3;

    /// <summary>A key missing this long after Redis answers again means the node is dead.</summary>
    private TimeSpan ReapGrace => _settings.NodeTimeout - LivenessTtl - LivenessInterval;

    /// <summary>Reactor thread, after <see cref="ClusterInbound.Reregister"/>: registers again what this node holds.</summary>
    public async Task ReregisterAsync(ClusterSnapshot snapshot)
    {
        try
        {
            await LoadScriptsAsync().ConfigureAwait(false);
            await _db.StringSetAsync(ClusterKeys.Epoch, _epoch, when: When.NotExists).ConfigureAwait(false);
            await _db.SetAddAsync(ClusterKeys.Nodes, NodeId).ConfigureAwait(false);
            await _db.ScriptEvaluateAsync(ClusterScripts.AtLeast, [ClusterKeys.JoinIds], [snapshot.JoinIdBlockEnd]).ConfigureAwait(false);
            await _db.ScriptEvaluateAsync(ClusterScripts.AtLeast, [ClusterKeys.RoomRefs], [snapshot.NextRoomRef]).ConfigureAwait(false);
            foreach (var (name, roomRef) in snapshot.Rooms)
            {
                await _db.HashSetAsync(ClusterKeys.Rooms, name, roomRef, When.NotExists).ConfigureAwait(false);
            }

            foreach (var m in snapshot.Members)
            {
                await _db.StringSetAsync(ClusterKeys.Name(m.Name), NodeId, when: When.NotExists).ConfigureAwait(false);
                foreach (long roomRef in m.Refs)
                {
                    // The room's follower count goes with the member, as the batch script keeps it.
                    if (await _db.SetAddAsync(ClusterKeys.RoomMembers(roomRef), m.JoinId).ConfigureAwait(false))
                    {
                        await _db.HashIncrementAsync(ClusterKeys.RoomNodes(roomRef), NodeId).ConfigureAwait(false);
                    }
                }

                await _db.HashSetAsync(ClusterKeys.NodeMembers(NodeId), m.JoinId, m.Name + "\n" + string.Join(',', m.Refs)).ConfigureAwait(false);
            }

            await _db.StringSetAsync(ClusterKeys.Registered(NodeId), _epoch).ConfigureAwait(false);
            Log.Info("Node {Node} registered again: {Rooms} rooms, {Members} members", NodeId, snapshot.Rooms.Count, snapshot.Members.Count);
            _post(ClusterInbound.Registered());

            // Every node notices within a liveness interval: give them time to register what they hold
            // before this node hands out refs and JOIN_IDs again.
            await Task.Delay(LivenessInterval * 2).ConfigureAwait(false);
            _reregistering = false;
            _down = null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Registering again failed ({Why}); retrying", e.Message);
            _reregistering = false;
        }
    }

    /// <summary>
    /// The cluster's epoch, "created-ms-guid", made by the first node. Within two liveness intervals of its
    /// making (Redis new, or restarted empty) a node waits them out before serving: nodes that survived the
    /// restart register again within that time and move the JOIN_ID counter past the ids their clients hold.
    /// </summary>
    private string RegisterEpoch()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + Interlocked.Read(ref _clockOffsetMs);
        _db.StringSet(ClusterKeys.Epoch, $"{now}-{Guid.NewGuid():N}", when: When.NotExists);
        string epoch = _db.StringGet(ClusterKeys.Epoch)!;
        int dash = epoch.IndexOf('-');
        if (dash > 0 && long.TryParse(epoch.AsSpan(0, dash), out long created))
        {
            var wait = (LivenessInterval * 2) - TimeSpan.FromMilliseconds(now - created);
            if (wait > TimeSpan.Zero)
            {
                Log.Info("A new cluster epoch: waiting {Wait} ms for surviving nodes to register again", (long)wait.TotalMilliseconds);
                Thread.Sleep(wait);  // once, at start, before the node listens
            }
        }

        return epoch;
    }

    /// <summary>A random id, claimed with the node's registered key (SET NX), so no two nodes can share one.</summary>
    private long ClaimNodeId()
    {
        while (true)
        {
            long id = Random.Shared.NextInt64(1, 1L << 53);
            if (_db.StringSet(ClusterKeys.Registered(id), _epoch, when: When.NotExists))
            {
                return id;
            }
        }
    }

    private void MeasureClock()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var time = (RedisResult[])_db.Execute("TIME")!;
        SetClockOffset(before, time);
    }

    /// <summary>Every liveness tick: the clocks drift (NTP steps, a VM resumed), and a TIME is cheap.</summary>
    private async Task MeasureClockAsync()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var time = (RedisResult[])(await _db.ExecuteAsync("TIME").ConfigureAwait(false))!;
        if (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - before <= SlowClockReading.TotalMilliseconds)
        {
            SetClockOffset(before, time);
        }
    }

    /// <summary>Redis's clock minus this node's, taking the middle of the round trip as the moment Redis read it.</summary>
    private void SetClockOffset(long before, RedisResult[] time)
    {
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long redisMs = ((long)time[0] * 1000) + ((long)time[1] / 1000);
        Interlocked.Exchange(ref _clockOffsetMs, redisMs - ((before + after) / 2));
    }

    private async Task LivenessTickAsync()
    {
        if (_disposed || Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return;
        }

        try
        {
            await CheckAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (e is not RedisException and not TimeoutException)
            {
                Log.Error(e, "Cluster: the liveness check failed");
            }
            else if (_down is null)
            {
                Log.Warn("Cluster down: {Why}", e.Message);
            }

            _down = e is RedisConnectionException ? "Redis is unreachable" : "Redis is not answering";
            _missingSince.Clear();
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private async Task CheckAsync()
    {
        if (_reregistering || (string?)await _db.StringGetAsync(ClusterKeys.Registered(NodeId)).ConfigureAwait(false) != _epoch)
        {
            // Redis lost its data: fail requests until this node has registered again what it holds.
            _down = "Redis restarted; registering again";
            await _db.StringSetAsync(ClusterKeys.Node(NodeId), _epoch, LivenessTtl).ConfigureAwait(false);
            if (!_reregistering)
            {
                _reregistering = true;
                _missingSince.Clear();
                _post(ClusterInbound.Reregister());
            }

            return;
        }

        var prior = await _db.StringSetAndGetAsync(ClusterKeys.Node(NodeId), _epoch, LivenessTtl).ConfigureAwait(false);
        await _db.SetAddAsync(ClusterKeys.Nodes, NodeId).ConfigureAwait(false);
        if (prior.IsNull && await _db.KeyDeleteAsync(ClusterKeys.Reap(NodeId)).ConfigureAwait(false))
        {
            // Frozen past the node timeout, this node was taken for dead and its members were reaped:
            // its clients are no longer in their rooms anywhere else, so they are told and closed.
            Log.Warn("Node {Node} was taken for dead while frozen; closing its clients", NodeId);
            _post(ClusterInbound.Reaped());
        }
        await MeasureClockAsync().ConfigureAwait(false);
        if (_down is not null && !_reregistering)
        {
            Log.Info("Cluster up again");
            _down = null;
        }

        var nodes = await _db.SetMembersAsync(ClusterKeys.Nodes).ConfigureAwait(false);
        int live = 0;
        long now = Environment.TickCount64;
        foreach (var value in nodes)
        {
            long id = (long)value;
            if (id == NodeId || await _db.KeyExistsAsync(ClusterKeys.Node(id)).ConfigureAwait(false))
            {
                live++;
                _missingSince.Remove(id);
                continue;
            }

            if (!_missingSince.TryGetValue(id, out long since))
            {
                _missingSince[id] = now;
            }
            else if (now - since >= ReapGrace.TotalMilliseconds)
            {
                _missingSince.Remove(id);
                await ReapAsync(id).ConfigureAwait(false);
            }
        }

        _liveNodes = live;
    }

    /// <summary>
    /// Once per dead node (SET NX): each of its members leaves every room it was in, in ascending ref
    /// order, through the same sequenced path (the members set makes a repeat a no-op), and its names are freed.
    /// </summary>
    private async Task ReapAsync(long node)
    {
        var claim = ClusterKeys.Reap(node);
        if (!await _db.StringSetAsync(claim, NodeId, ReapClaim, When.NotExists).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await ReapMembersAsync(node, claim).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Reaping node {Dead} failed ({Why}); it is tried again", node, e.Message);
            _db.KeyDelete(claim, CommandFlags.FireAndForget);
            throw;
        }
    }

    private async Task ReapMembersAsync(long node, RedisKey claim)
    {
        var members = await _db.HashGetAllAsync(ClusterKeys.NodeMembers(node)).ConfigureAwait(false);
        Log.Warn("Node {Dead} is dead: reaping its {Count} members", node, members.Length);
        foreach (var entry in members)
        {
            await _db.KeyExpireAsync(claim, ReapClaim).ConfigureAwait(false);
            long joinId = (long)entry.Name;
            var text = ((string)entry.Value!).Split('\n');
            var name = System.Text.Encoding.UTF8.GetBytes(text[0]);
            var batch = new EventBatch();
            foreach (var part in text[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).Order())
            {
                batch.Add(new BatchEntry(null, RoomEventKind.Gone, null), node, joinId, part, name, null, default, reaped: true);
            }

            if (batch.Count > 0 && BatchRefusal(await SendAsync(batch, 0).ConfigureAwait(false)) is { } why)
            {
                throw new RedisException(why);
            }

            await _db.ScriptEvaluateAsync(ClusterScripts.DeleteIfOwned, [ClusterKeys.Name(text[0])], [node]).ConfigureAwait(false);
        }

        await _db.KeyDeleteAsync(ClusterKeys.NodeMembers(node)).ConfigureAwait(false);
        await _db.SetRemoveAsync(ClusterKeys.Nodes, node).ConfigureAwait(false);
        await _db.KeyExpireAsync(claim, ReapRecord).ConfigureAwait(false);
        Interlocked.Increment(ref _reaped);
    }
}
