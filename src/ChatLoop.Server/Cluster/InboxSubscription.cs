using System.Text;
using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// This node's subscription to its inbox channel, and the proof that it works. After a Sentinel failover
/// StackExchange.Redis (2.8) sometimes restores the subscription connection without the channel on it
/// (PUBSUB NUMSUB 0, no subscribed endpoint, for good): every event routed to this node would then be
/// lost. So a node counts its inbox as working only once a message it publishes to the channel has come
/// back through it, and subscribes again when none does.
/// </summary>
internal sealed class InboxSubscription
{
    /// <summary>An echo's message starts with this; an inbox batch starts with its publisher's id (digits).</summary>
    private static readonly byte[] EchoPrefix = "echo:"u8.ToArray();

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly Action<byte[]> _deliver;
    private readonly SemaphoreSlim _verifying = new(1, 1);
    private readonly object _gate = new();
    private ChannelMessageQueue _queue;
    private byte[]? _echo;
    private TaskCompletionSource? _echoed;

    /// <summary>Subscribes; <paramref name="deliver"/> gets every message but the echoes, in Redis's order.</summary>
    public InboxSubscription(ISubscriber subscriber, RedisChannel channel, Action<byte[]> deliver)
    {
        _subscriber = subscriber;
        _channel = channel;
        _deliver = deliver;
        _queue = subscriber.Subscribe(channel);
        _queue.OnMessage(m => Receive((byte[])m.Message!));
    }

    /// <summary>
    /// True once an echo came back within <paramref name="within"/>, subscribing again (once) when the first did
    /// not; false when neither did. Throws what Redis throws when it cannot be reached. One check at a time.
    /// </summary>
    public async Task<bool> VerifyAsync(TimeSpan within)
    {
        await _verifying.WaitAsync().ConfigureAwait(false);
        try
        {
            if (await EchoAsync(within).ConfigureAwait(false) is not { } why)
            {
                return true;
            }

            Log.Warn("Cluster: a message to {Channel} {Why}; subscribing again", _channel, why);
            await ResubscribeAsync().ConfigureAwait(false);
            why = await EchoAsync(within).ConfigureAwait(false);
            if (why is not null)
            {
                Log.Warn("Cluster: a message to {Channel} {Why} after subscribing again", _channel, why);
            }

            return why is null;
        }
        finally
        {
            _verifying.Release();
        }
    }

    private void Receive(byte[] message)
    {
        if (message.AsSpan().StartsWith(EchoPrefix))
        {
            lock (_gate)
            {
                if (_echo is not null && message.AsSpan().SequenceEqual(_echo))
                {
                    _echoed!.TrySetResult();
                }
            }

            return;
        }

        _deliver(message);
    }

    /// <summary>Publishes an echo and waits for it: null once it came back, else what went wrong.</summary>
    private async Task<string?> EchoAsync(TimeSpan within)
    {
        var echo = Encoding.ASCII.GetBytes($"echo:{Guid.NewGuid():N}");
        var echoed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _echo = echo;
            _echoed = echoed;
        }

        // PUBLISH answers how many subscribers Redis gave it to: none means the channel is not subscribed there.
        if (await _subscriber.PublishAsync(_channel, echo).ConfigureAwait(false) == 0)
        {
            return "found no subscriber on Redis";
        }

        return await Task.WhenAny(echoed.Task, Task.Delay(within)).ConfigureAwait(false) == echoed.Task
            ? null
            : $"did not come back within {(long)within.TotalMilliseconds} ms";
    }

    /// <summary>
    /// A fresh subscription replaces the old one (StackExchange.Redis subscribes a channel anew once its last
    /// queue is gone). Whatever was published in between is lost: the callers' sequence checks find it.
    /// </summary>
    private async Task ResubscribeAsync()
    {
        await _queue.UnsubscribeAsync().ConfigureAwait(false);
        _queue = await _subscriber.SubscribeAsync(_channel).ConfigureAwait(false);
        _queue.OnMessage(m => Receive((byte[])m.Message!));
    }
}
