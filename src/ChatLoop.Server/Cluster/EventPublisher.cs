using System.Security.Cryptography;
using System.Text;
using ChatLoop.Server.Sequencing;
using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The publish path: one run of <see cref="ClusterScripts.PublishBatch"/> per batch (EVALSHA), pipelined
/// on the one interactive connection so batches run in the order they were sent, none waiting for the last.
/// What Redis refused goes back to the reactor through <c>post</c>.
/// </summary>
internal sealed class EventPublisher
{
    private const string NotRegistered = "this node is not the registered incarnation (it was taken for dead)";

    /// <summary>The batch script's SHA-1, as EVALSHA takes it.</summary>
    private static readonly byte[] PublishHash = SHA1.HashData(Encoding.UTF8.GetBytes(ClusterScripts.PublishBatch));

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly NodeRegistration _registration;
    private readonly RedisClock _clock;
    private readonly Action<ClusterInbound> _post;
    private long _published;

    public EventPublisher(ConnectionMultiplexer redis, NodeRegistration registration, RedisClock clock, Action<ClusterInbound> post)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        _registration = registration;
        _clock = clock;
        _post = post;
    }

    /// <summary>Events Redis took from this node.</summary>
    public long Published => Interlocked.Read(ref _published);

    private long NodeId => _registration.NodeId;

    /// <summary>The whole batch was refused: why (null when it ran).</summary>
    public static string? BatchRefusal(RedisResult result) =>
        result.Resp2Type == ResultType.Integer
            ? ((long)result == -4 ? NotRegistered : RedisErrors.Restarted)
            : null;

    /// <summary>Reads the script's reply: each refused event's index and code, in order.</summary>
    public static IEnumerable<(int Index, int Code)> Refusals(string reply)
    {
        foreach (var item in reply.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = item.IndexOf(':');
            yield return (int.Parse(item.AsSpan(0, colon)), int.Parse(item.AsSpan(colon + 1)));
        }
    }

    /// <summary>Reactor thread: sends a batch (it must not change afterwards); refusals come back through the inbox.</summary>
    public void Send(EventBatch batch)
    {
        var task = SendAsync(batch, _clock.DeadlineMs());
        task.ContinueWith(static (t, state) => ((EventPublisher)((object[])state!)[0]).OnSent(t, (EventBatch)((object[])state!)[1]), new object[] { this, batch }, TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>Runs the batch script for <paramref name="batch"/> as this node; deadline 0 for none.</summary>
    public Task<RedisResult> SendAsync(EventBatch batch, long deadlineMs) =>
        _db.ScriptEvaluateAsync(PublishHash, batch.Keys(ClusterKeys.Registered(NodeId)), batch.Arguments(NodeId, _registration.Incarnation, deadlineMs));

    /// <summary>
    /// Runs the publish and receive paths once before the node serves: a batch with no events through the
    /// script and its reply, a piece written and read back, and an empty message to this node's own inbox
    /// (the reactor's first tick reads it). The JIT compiles each method once, in full (tiered compilation
    /// is off), so that one-time cost is paid here rather than by the first clients.
    /// </summary>
    public void WarmUp()
    {
        var empty = new EventBatch();
        var result = SendAsync(empty, 0).GetAwaiter().GetResult();
        OnSent(Task.FromResult(result), empty);

        var probe = new EventBatch();
        probe.Add(new BatchEntry(null, RoomEventKind.Chat, null), NodeId, 0, 0, "warm"u8, null, "up"u8);
        var piece = (ReadOnlyMemory<byte>)probe.Arguments(NodeId, _registration.Epoch, 0)[^1];
        _ = probe.Keys(ClusterKeys.Registered(NodeId));
        var message = new byte[EventCodec.SeqBytes + piece.Length];
        BitConverter.TryWriteBytes(message, 1L);
        piece.Span.CopyTo(message.AsSpan(EventCodec.SeqBytes));
        ReadOnlySpan<byte> rest = message;
        if (EventCodec.TryReadEvent(ref rest, out var e))
        {
            var bodies = e.Message;
            _ = EventCodec.NextMessage(ref bodies);
        }

        _redis.GetSubscriber().Publish(ClusterKeys.Inbox(NodeId), EventCodec.Header(NodeId));
    }

    public void LoadScripts() => _db.Execute("SCRIPT", "LOAD", ClusterScripts.PublishBatch);

    public async Task LoadScriptsAsync()
    {
        try
        {
            await _db.ExecuteAsync("SCRIPT", "LOAD", ClusterScripts.PublishBatch).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Cluster: could not load the batch script ({Why}); tried again on the next refusal", e.Message);
        }
    }

    private void OnSent(Task<RedisResult> t, EventBatch batch)
    {
        var entries = batch.Entries;
        string? why;
        if (t.IsCompletedSuccessfully)
        {
            why = BatchRefusal(t.Result);
            if (why is null)
            {
                long taken = 0;
                foreach (var entry in entries)
                {
                    taken += entry.Count;
                }

                foreach (var (index, code) in Refusals((string?)t.Result ?? ""))
                {
                    var e = entries[index];
                    taken -= e.Count;
                    for (int i = 0; i < e.Count; i++)
                    {
                        _post(code switch
                        {
                            -2 => new ClusterInbound.Duplicate(e.Connection!, e.Kind, e.Room!),
                            -5 => new ClusterInbound.NotMember(e.Connection!, e.Room!),
                            _ => new ClusterInbound.Failed(e.Connection!, e.Kind, e.Room!, "the request timed out"),
                        });
                    }
                }

                Interlocked.Add(ref _published, taken);
                return;
            }
        }
        else
        {
            var e = t.Exception?.InnerException;
            if (e is RedisServerException && e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                // Redis restarted: it has forgotten the script. This batch fails (sending it again could
                // put it after batches sent since); the next ones find the script loaded.
                _ = LoadScriptsAsync();
                why = RedisErrors.Restarted;
            }
            else
            {
                why = e is null ? "Redis did not answer" : RedisErrors.Describe(e);
            }
        }

        foreach (var e in entries)
        {
            for (int i = 0; i < e.Count; i++)
            {
                _post(new ClusterInbound.Failed(e.Connection!, e.Kind, e.Room!, why));
            }
        }
    }
}
