using System.Collections.Concurrent;
using System.Text;
using ChatLoop.Server.Sequencing;
using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Reaping (CLUSTER.md "At scale" 3 and 4): background work, off the liveness thread. A reaper first fences
/// the dead node (its registered key marked reaped, its members and names moved aside, in one script), then
/// publishes its members' gone events in batches (each member's rooms in ascending ref order), and frees its
/// names. The members set makes a repeat a no-op, so a reaper that dies half way is simply carried on.
/// </summary>
internal sealed class Reaper
{
    /// <summary>Members whose gone events go to Redis in one pipelined batch before the next is sent.</summary>
    public const int ReapBatch = 256;

    /// <summary>
    /// A reap in progress holds its claim this long, refreshed per batch; a reaper that fails or dies lets
    /// another survivor (or itself) try again soon rather than leave ghosts for long.
    /// </summary>
    private static readonly TimeSpan ReapClaim = TimeSpan.FromSeconds(30);

    /// <summary>A finished reap's claim stays this long, so nobody reaps the node twice.</summary>
    private static readonly TimeSpan ReapRecord = TimeSpan.FromMinutes(10);

    /// <summary>The reaped mark stays this long: a node frozen meanwhile learns from it, on thawing, that it was reaped.</summary>
    private static readonly TimeSpan ReapedMark = TimeSpan.FromHours(24);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly IDatabase _db;
    private readonly TimeProvider _time;
    private readonly NodeRegistration _registration;
    private readonly EventPublisher _publisher;
    private readonly ConcurrentDictionary<long, bool> _reaping = new();
    private long _reaped;

    public Reaper(IDatabase db, TimeProvider time, NodeRegistration registration, EventPublisher publisher)
    {
        _db = db;
        _time = time;
        _registration = registration;
        _publisher = publisher;
    }

    /// <summary>Nodes this node has finished reaping.</summary>
    public long Reaped => Interlocked.Read(ref _reaped);

    /// <summary>Liveness thread: starts reaping a node in the background, unless this node is reaping it already.</summary>
    public void Offer(long node)
    {
        if (_reaping.TryAdd(node, true))
        {
            _ = Task.Run(() => ReapAsync(node));
        }
    }

    private async Task ReapAsync(long node)
    {
        var claim = ClusterKeys.Reap(node);
        bool claimed = false;
        try
        {
            var r = (RedisResult[])(await _db.ScriptEvaluateAsync(
                LivenessScripts.Claim,
                [claim, ClusterKeys.Registered(node), ClusterKeys.Node(node), ClusterKeys.NodeMembers(node), ClusterKeys.NodeNames(node),
                    ClusterKeys.ReapMembers(node), ClusterKeys.ReapNames(node), ClusterKeys.Registered(_registration.NodeId)],
                [_registration.Incarnation, (long)ReapClaim.TotalMilliseconds, (long)ReapedMark.TotalMilliseconds]).ConfigureAwait(false))!;
            if ((long)r[0] != 1)
            {
                return;
            }

            claimed = true;
            await ReapMembersAsync(node, claim, (string)r[1]!).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (e is RedisException or TimeoutException)
            {
                Log.Warn("Reaping node {Dead} failed ({Why}); it is tried again", node, e.Message);
            }
            else
            {
                Log.Error(e, "Reaping node {Dead} failed; it is tried again", node);
            }

            if (claimed)
            {
                _db.KeyDelete(claim, CommandFlags.FireAndForget);
            }
        }
        finally
        {
            _reaping.TryRemove(node, out _);
        }
    }

    private async Task ReapMembersAsync(long node, RedisKey claim, string deadIncarnation)
    {
        long started = _time.GetTimestamp();
        var members = await _db.HashGetAllAsync(ClusterKeys.ReapMembers(node)).ConfigureAwait(false);
        Log.Warn("Node {Dead} is dead: reaping its {Count} members", node, members.Length);
        for (int at = 0; at < members.Length; at += ReapBatch)
        {
            var batch = members[at..Math.Min(members.Length, at + ReapBatch)];
            await PublishGonesAsync(node, batch, deadIncarnation).ConfigureAwait(false);
            await _db.HashDeleteAsync(ClusterKeys.ReapMembers(node), [.. batch.Select(e => e.Name)]).ConfigureAwait(false);
            await _db.KeyExpireAsync(claim, ReapClaim).ConfigureAwait(false);
        }

        var names = await _db.SetMembersAsync(ClusterKeys.ReapNames(node)).ConfigureAwait(false);
        for (int at = 0; at < names.Length; at += ReapBatch)
        {
            RedisKey[] keys = [.. names[at..Math.Min(names.Length, at + ReapBatch)].Select(n => (RedisKey)(string)n!)];
            await _db.ScriptEvaluateAsync(LeaseScripts.FreeNames, keys, [deadIncarnation]).ConfigureAwait(false);
        }

        await _db.KeyDeleteAsync([ClusterKeys.ReapMembers(node), ClusterKeys.ReapNames(node)]).ConfigureAwait(false);
        await _db.SetRemoveAsync(ClusterKeys.Nodes, node).ConfigureAwait(false);
        await _db.KeyExpireAsync(claim, ReapRecord).ConfigureAwait(false);
        Interlocked.Increment(ref _reaped);
        Log.Warn("Node {Dead} reaped: {Members} members and {Names} names in {Ms} ms", node, members.Length, names.Length, (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// One pipelined batch: the gone events of these members through the batch script (each member's rooms
    /// in ascending ref order; a few script runs when they are more than a batch holds), then their names
    /// freed in the same pipeline, so a name is free by the time anyone has seen its leave.
    /// </summary>
    private async Task PublishGonesAsync(long node, HashEntry[] members, string deadIncarnation)
    {
        var sent = new List<Task<RedisResult>>();
        var names = new RedisKey[members.Length];
        var batch = new EventBatch();
        for (int i = 0; i < members.Length; i++)
        {
            long joinId = (long)members[i].Name;
            var (name, refs) = MemberRecords.Parse(members[i].Value);
            names[i] = ClusterKeys.Name(name);
            var nameUtf8 = Encoding.UTF8.GetBytes(name);
            foreach (long part in refs.Order())
            {
                batch.Add(new BatchEntry(null, RoomEventKind.Gone, null), node, joinId, part, nameUtf8, null, default, reaped: true);
                if (batch.IsFull)
                {
                    sent.Add(_publisher.SendAsync(batch, 0));
                    batch = new EventBatch();
                }
            }
        }

        if (batch.Count > 0)
        {
            sent.Add(_publisher.SendAsync(batch, 0));
        }

        var freed = _db.ScriptEvaluateAsync(LeaseScripts.FreeNames, names, [deadIncarnation]);
        foreach (var task in sent)
        {
            if (EventPublisher.BatchRefusal(await task.ConfigureAwait(false)) is { } why)
            {
                throw new RedisException("the reaper's batch was refused: " + why);
            }
        }

        await freed.ConfigureAwait(false);
    }
}
