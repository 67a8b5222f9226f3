using System.Collections.Concurrent;
using System.Text;
using ChatLoop.Server.Cluster;
using ChatLoop.Tests.Support;
using StackExchange.Redis;

namespace ChatLoop.Tests.Cluster;

/// <summary>A node's inbox subscription against a real Redis: its echo check, and subscribing again when the channel was lost.</summary>
[TestFixture]
public sealed class InboxSubscriptionTests
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("chatloop:inbox:7");

    [Test]
    public async Task Verify_ChannelLostBehindItsBack_SubscribesAgainAndMessagesArrive()
    {
        using var redis = RedisProcess.Start();
        using var node = await ConnectionMultiplexer.ConnectAsync(redis.Config);
        using var other = await ConnectionMultiplexer.ConnectAsync(redis.Config);
        var received = new BlockingCollection<string>();
        var inbox = new InboxSubscription(node.GetSubscriber(), Channel, m => received.Add(Encoding.ASCII.GetString(m)));
        Assert.That(await inbox.VerifyAsync(Wait.Long), Is.True, "a working subscription answers its echo");

        // What a failover sometimes leaves behind: the connection is back, the channel is not on it.
        await node.GetSubscriber().UnsubscribeAllAsync();
        Assert.That(await other.GetSubscriber().PublishAsync(Channel, "lost"), Is.Zero, "the channel has no subscriber");

        Assert.That(await inbox.VerifyAsync(Wait.Long), Is.True, "it subscribed again and the echo came back");
        Assert.That(await other.GetSubscriber().PublishAsync(Channel, "7\nafter"), Is.EqualTo(1));
        Assert.That(received.TryTake(out var message, Wait.Long), Is.True, "a message published after the check arrives");
        Assert.That(message, Is.EqualTo("7\nafter"), "echoes are not delivered, the one lost message is not either");
        Assert.That(received, Is.Empty);
    }
}
