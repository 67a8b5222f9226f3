using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;
using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The cluster's side that talks to Redis: it connects, wires its parts and is what the reactor's
/// <see cref="ClusterSequencer"/> calls. The parts run on StackExchange.Redis's threads, the thread pool and
/// the liveness thread and touch no chat state: everything they learn goes to the reactor through
/// <c>post</c> (the <see cref="ClusterInbox"/>). <see cref="NodeRegistration"/> (id, incarnation),
/// <see cref="Reregistration"/> (after Redis lost data), <see cref="EventPublisher"/> (the batch script), <see cref="JoinResolver"/> (name leases, JOIN_ID
/// blocks, refs), <see cref="Liveness"/> (its own thread and connection), <see cref="Reaper"/> (dead nodes),
/// <see cref="MemberRecords"/> (what a reaper reads), <see cref="InboxSubscription"/> (this node's inbox, proven by an echo).
/// </summary>
internal sealed class RedisBackplane : IDisposable
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly Action<ClusterInbound> _post;
    private readonly LivenessPace _pace;
    private readonly NodeHealth _health = new();
    private readonly NodeRegistration _registration;
    private readonly Reregistration _reregistration;
    private readonly EventPublisher _publisher;
    private readonly JoinResolver _joins;
    private readonly MemberRecords _members;
    private readonly Reaper _reaper;
    private readonly Liveness _liveness;
    private readonly InboxSubscription _inbox;

    /// <summary>Null unless this node's inbox subscription was found not working (and not yet working again).</summary>
    private volatile string? _inboxDown;
    private volatile bool _disposed;

    private RedisBackplane(ServerSettings settings, TimeProvider time, ConnectionMultiplexer redis, ConnectionMultiplexer liveness, Action<ClusterInbound> post)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        _post = post;
        _pace = new LivenessPace(settings.NodeTimeout);
        var clock = new RedisClock(time, settings.RedisTimeout);
        _registration = new NodeRegistration(_db, clock, _pace, _health);
        _reregistration = new Reregistration(_db, time, _registration, _pace, _health, post);
        _publisher = new EventPublisher(redis, _registration, clock, post);
        _joins = new JoinResolver(_db, _registration, clock, _pace, post);
        _members = new MemberRecords(_db, NodeId);
        _reaper = new Reaper(_db, time, _registration, _publisher);
        _liveness = new Liveness(liveness, clock, _pace, _registration, _reregistration, _health, _reaper.Offer, post);

        _publisher.LoadScripts();

        // One subscription, this node's inbox: the batch script sends it the events of the rooms it has
        // members in. StackExchange.Redis hands each subscription its own queue, so one channel keeps
        // Redis's one order across rooms (DISCONNECT's leave notices go out in ascending ref order).
        _inbox = new InboxSubscription(redis.GetSubscriber(), ClusterKeys.Inbox(NodeId), m => _post(new ClusterInbound.Event(m)));
        _publisher.WarmUp();
        redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                _ = InboxBackAsync();
            }
            else
            {
                // Redis may have restarted: its script cache is empty, and perhaps its data is gone (the
                // liveness check registers this node again): both at once, not at the next tick.
                _ = _publisher.LoadScriptsAsync();
                _liveness.CheckNow();
            }
        };
        _liveness.Start();
    }

    /// <summary>This node's id, unique in the cluster.</summary>
    public long NodeId => _registration.NodeId;

    /// <summary>Null while healthy; otherwise why requests get ERROR 12.</summary>
    public string? Down => _health.Down ?? _inboxDown ?? (_redis.IsConnected ? null : "Redis is unreachable");

    public long Published => _publisher.Published;

    public int LiveNodes => _liveness.LiveNodes;

    public long Reaped => _reaper.Reaped;

    /// <summary>Connects and registers this node; an unreachable Redis throws <see cref="RedisConnectionException"/>.</summary>
    public static RedisBackplane Connect(ServerSettings settings, TimeProvider time, Action<ClusterInbound> post)
    {
        // Said before each step that can take seconds (a Sentinel to ask, a primary to find, a busy Redis), so a
        // node that is slow to start shows where it is.
        var options = RedisOptions.For(settings, "chatloop");
        Log.Info("Cluster: connecting to Redis at {EndPoints}{Service}", string.Join(",", options.EndPoints.Select(e => e.ToString())),
            options.ServiceName is null ? "" : $" (Sentinels of {options.ServiceName})");
        var redis = ConnectionMultiplexer.Connect(options);
        ConnectionMultiplexer? liveness = null;
        try
        {
            liveness = ConnectionMultiplexer.Connect(RedisOptions.ForLiveness(settings));
            Log.Info("Cluster: connected to {Endpoints}; registering this node", string.Join(", ", redis.GetEndPoints().Select(e => e.ToString())));
            return new RedisBackplane(settings, time, redis, liveness, post);
        }
        catch
        {
            liveness?.Dispose();
            redis.Dispose();
            throw;
        }
    }

    /// <summary>Reactor thread: sends a batch (it must not change afterwards); refusals come back through the inbox.</summary>
    public void Send(EventBatch batch) => _publisher.Send(batch);

    /// <summary>Reactor thread: the name claim, JOIN_ID block and room ref of a JOIN, answered with JoinReady or Refused.</summary>
    public Task ResolveJoinAsync(Connection c, string roomName, string clientName, bool claimName, long joinId, long knownRef) =>
        _joins.ResolveAsync(c, roomName, clientName, claimName, joinId, knownRef);

    /// <summary>Frees a name this node holds (fire and forget).</summary>
    public void ReleaseName(string name) => _joins.ReleaseName(name);

    /// <summary>Records which rooms a member of this node is in, for a survivor to reap should this node die.</summary>
    public void RecordMember(long joinId, string name, List<Room>? rooms) => _members.Record(joinId, name, rooms);

    /// <summary>Reactor thread, after <see cref="ClusterInbound.Reregister"/>: registers again what this node holds.</summary>
    public Task ReregisterAsync(ClusterSnapshot snapshot) => _reregistration.ReregisterAsync(snapshot, _publisher.LoadScriptsAsync, InboxWorksAsync);

    /// <summary>Reactor thread, once the clients of a reaped node are closed: serves again as a new incarnation.</summary>
    public Task ReincarnateAsync() => _registration.ReincarnateAsync();

    /// <summary>
    /// After the subscription came back: each room's sequence number now, posted once events published
    /// after the restore have had time to arrive; a room whose number is past what this node applied
    /// lost events while the subscription was down. Nothing is posted if Redis lost this node's
    /// registration meanwhile (it restarted: the numbers start afresh).
    /// </summary>
    public async Task ReadSequencesAsync(long[] refs, long registrations)
    {
        try
        {
            var seqs = new long[refs.Length];
            for (int i = 0; i < refs.Length; i++)
            {
                seqs[i] = (long)await _db.StringGetAsync(ClusterKeys.RoomSeq(refs[i])).ConfigureAwait(false);
            }

            if (!await _db.KeyExistsAsync(ClusterKeys.Registered(NodeId)).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(_pace.Interval * 2 + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            _post(new ClusterInbound.SequencesRead(new SequenceReading(refs, seqs, registrations)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Cluster: could not read the rooms' sequence numbers after the subscription came back: {Why}", e.Message);
        }
    }

    public void Dispose() => Dispose(unregister: false);

    /// <summary>
    /// The subscription connection came back: the inbox is shown to work (subscribed again if need be) before
    /// the reactor reads the rooms' sequence numbers, so nothing published after that read is missed unseen.
    /// Until it works, requests get ERROR 12.
    /// </summary>
    private async Task InboxBackAsync()
    {
        while (!_disposed)
        {
            if (await InboxWorksAsync().ConfigureAwait(false))
            {
                _inboxDown = null;
                _post(new ClusterInbound.Resubscribed());
                return;
            }

            _inboxDown = "this node's subscription to Redis is not working";
            await Task.Delay(_pace.Interval).ConfigureAwait(false);
        }
    }

    /// <summary>True once a message to this node's inbox came back through its subscription (see <see cref="InboxSubscription"/>).</summary>
    private async Task<bool> InboxWorksAsync()
    {
        try
        {
            return await _inbox.VerifyAsync(_pace.Interval).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Cluster: node {Node} could not check its inbox subscription: {Why}", NodeId, RedisErrors.Describe(e));
            return false;
        }
    }

    /// <summary>
    /// Stops this node. With <paramref name="unregister"/> (every member has left) its registration goes;
    /// otherwise only its liveness key, so survivors reap the members still recorded (and free their
    /// names) without waiting for the key's TTL.
    /// </summary>
    public void Dispose(bool unregister)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _liveness.Stop();
        try
        {
            _registration.Unregister(unregister);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            // A command cut short as the connection went (a failover under way) is no different.
            Log.Warn("Could not unregister node {Node} from Redis: {Why}", NodeId, e.Message);
        }

        _redis.Dispose();
        _liveness.Dispose();
    }
}
