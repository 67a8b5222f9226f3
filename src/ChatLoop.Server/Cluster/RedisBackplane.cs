using ChatLoop.Server.Rooms;
using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The cluster's side that talks to Redis. It runs on StackExchange.Redis's and the thread pool's
/// threads and touches no chat state: everything it learns goes to the reactor through <c>post</c>.
/// </summary>
internal sealed partial class RedisBackplane : IDisposable
{
    public const int JoinIdBlock = 1000;

    private const string Restarted = "Redis restarted; this node is registering again";

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ServerSettings _settings;
    private readonly TimeProvider _time;
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;

    /// <summary>Liveness has its own connection: its round trip never queues behind publishing or reaping.</summary>
    private readonly ConnectionMultiplexer _livenessRedis;
    private readonly IDatabase _livenessDb;
    private readonly Action<ClusterInbound> _post;
    private readonly InboxSubscription _inbox;
    private volatile string? _down;

    /// <summary>Null unless this node's inbox subscription was found not working (and not yet working again).</summary>
    private volatile string? _inboxDown;
    private long _clockOffsetMs;
    private long _published;
    private volatile bool _disposed;

    private RedisBackplane(ServerSettings settings, TimeProvider time, ConnectionMultiplexer redis, ConnectionMultiplexer liveness, Action<ClusterInbound> post)
    {
        _settings = settings;
        _time = time;
        _redis = redis;
        _db = redis.GetDatabase();
        _livenessRedis = liveness;
        _livenessDb = liveness.GetDatabase();
        _post = post;
        MeasureClock();
        _epoch = RegisterEpoch();
        NodeId = ClaimNodeId();
        _db.SetAdd(ClusterKeys.Nodes, NodeId);
        _db.ScriptEvaluate(MarkRegisteredOn, [ClusterKeys.RegisteredOn(_replid)], [NodeId]);  // a node waiting for every node to be back counts it
        _db.StringSet(ClusterKeys.Node(NodeId), _incarnation, LivenessTtl);

        LoadScripts();

        // One subscription, this node's inbox: the batch script sends it the events of the rooms it has
        // members in. StackExchange.Redis hands each subscription its own queue, so one channel keeps
        // Redis's one order across rooms (DISCONNECT's leave notices go out in ascending ref order).
        _inbox = new InboxSubscription(redis.GetSubscriber(), ClusterKeys.Inbox(NodeId), m => _post(ClusterInbound.Event(m)));
        WarmUp();
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
                _ = LoadScriptsAsync();
                _tickNow.Set();
            }
        };
        _liveness = new Thread(LivenessLoop) { IsBackground = true, Name = "cluster-liveness" };
        _liveness.Start();
    }

    /// <summary>This node's id, unique in the cluster: random, so a node started after Redis lost its data cannot take a live node's.</summary>
    public long NodeId { get; }

    /// <summary>Null while healthy; otherwise why requests get ERROR 12.</summary>
    public string? Down => _down ?? _inboxDown ?? (_redis.IsConnected ? null : "Redis is unreachable");

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Connects and registers this node; an unreachable Redis throws <see cref="RedisConnectionException"/>.</summary>
    public static RedisBackplane Connect(ServerSettings settings, TimeProvider time, Action<ClusterInbound> post)
    {
        var redis = ConnectionMultiplexer.Connect(Options(settings, "chatloop"));
        ConnectionMultiplexer? liveness = null;
        try
        {
            var livenessOptions = Options(settings, "chatloop-liveness");
            livenessOptions.ConfigurationChannel = "";  // no subscription of its own: liveness is one script a tick
            livenessOptions.SyncTimeout = livenessOptions.AsyncTimeout;  // a stuck tick reports Redis down as soon as a request would
            liveness = ConnectionMultiplexer.Connect(livenessOptions);
            return new RedisBackplane(settings, time, redis, liveness, post);
        }
        catch
        {
            liveness?.Dispose();
            redis.Dispose();
            throw;
        }
    }

    /// <summary>
    /// StackExchange.Redis's options from --redis: a server list, or Sentinels with serviceName= (the
    /// client then asks them for the primary and follows a failover by itself).
    /// </summary>
    private static ConfigurationOptions Options(ServerSettings settings, string clientName)
    {
        var options = ConfigurationOptions.Parse(settings.Redis!);
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = 3000;
        options.ClientName ??= clientName;
        // A request waits at most this long; by then its deadline has passed in Redis too.
        int timeout = (int)Math.Min(settings.RedisTimeout.TotalMilliseconds + 250, int.MaxValue);
        options.AsyncTimeout = timeout;
        options.SyncTimeout = Math.Max(timeout, 3000);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.KeepAlive = 1;

        // Routes are registered by each node for itself: after Redis restarted empty, a node reconnecting a
        // heartbeat later than another would miss what that one publishes once it serves again (two liveness
        // intervals after it registered). Heartbeats and reconnect attempts at half an interval keep the nodes
        // well inside that (the defaults, 1 s and an exponential back-off from 5 s, did not).
        var heartbeat = TimeSpan.FromMilliseconds(Math.Min(1000, settings.NodeTimeout.TotalMilliseconds / 12));
        options.HeartbeatInterval = heartbeat;
        options.ReconnectRetryPolicy = new LinearRetry((int)heartbeat.TotalMilliseconds);
        return options;
    }

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
                _post(ClusterInbound.Resubscribed());
                return;
            }

            _inboxDown = "this node's subscription to Redis is not working";
            await Task.Delay(LivenessInterval).ConfigureAwait(false);
        }
    }

    /// <summary>True once a message to this node's inbox came back through its subscription (see <see cref="InboxSubscription"/>).</summary>
    private async Task<bool> InboxWorksAsync()
    {
        try
        {
            return await _inbox.VerifyAsync(LivenessInterval).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Cluster: node {Node} could not check its inbox subscription: {Why}", NodeId, Describe(e));
            return false;
        }
    }

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

            await Task.Delay(LivenessInterval * 2 + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            _post(ClusterInbound.SequencesRead(refs, seqs, registrations));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Cluster: could not read the rooms' sequence numbers after the subscription came back: {Why}", e.Message);
        }
    }

    /// <summary>Records which rooms a member of this node is in, for a survivor to reap should this node die.</summary>
    public void RecordMember(long joinId, string name, List<Room>? rooms)
    {
        if (rooms is null || rooms.Count == 0)
        {
            _db.HashDelete(ClusterKeys.NodeMembers(NodeId), joinId, CommandFlags.FireAndForget);
            return;
        }

        var refs = new long[rooms.Count];
        for (int i = 0; i < refs.Length; i++)
        {
            refs[i] = rooms[i].Ref;
        }

        _db.HashSet(ClusterKeys.NodeMembers(NodeId), joinId, name + "\n" + string.Join(',', refs), flags: CommandFlags.FireAndForget);
    }

    public void Dispose() => Dispose(unregister: false);

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
        _stopLiveness.Cancel();
        _liveness.Join(LivenessInterval * 4);
        try
        {
            if (unregister)
            {
                _db.KeyDelete([ClusterKeys.Node(NodeId), ClusterKeys.NodeMembers(NodeId), ClusterKeys.NodeNames(NodeId), ClusterKeys.Registered(NodeId)]);
                _db.SetRemove(ClusterKeys.Nodes, NodeId);
            }
            else
            {
                Log.Warn("Node {Node} stops with clients not yet out of their rooms; survivors will reap them", NodeId);
                _db.KeyDelete(ClusterKeys.Node(NodeId));
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            // A command cut short as the connection went (a failover under way) is no different.
            Log.Warn("Could not unregister node {Node} from Redis: {Why}", NodeId, e.Message);
        }

        _redis.Dispose();
        _livenessRedis.Dispose();
        _stopLiveness.Dispose();
        _tickNow.Dispose();
    }

    private static string Describe(Exception e) => e switch
    {
        RedisTimeoutException or TimeoutException => "Redis did not answer in time",
        RedisConnectionException => "Redis is unreachable",
        _ => e.Message,
    };

    private long DeadlineMs() =>
        WallClockMs() + Interlocked.Read(ref _clockOffsetMs) + (long)_settings.RedisTimeout.TotalMilliseconds;

    /// <summary>This node's wall clock in Unix milliseconds (Redis's is this plus the measured offset).</summary>
    private long WallClockMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
