using ChatLoop.Server;
using ChatLoop.Server.Cluster;

namespace ChatLoop.Tests.Cluster;

[TestFixture]
public sealed class ClusterInboxTests
{
    private static ClusterInbound Event(int bytes) => new ClusterInbound.Event(new byte[bytes]);

    [Test]
    public void Post_PastTheByteCap_DropsTheItemAndReportsOverflowOnce()
    {
        int wakes = 0;
        var inbox = new ClusterInbox(100 * 1024, () => wakes++);

        inbox.Post(Event(64 * 1024));
        inbox.Post(Event(64 * 1024));  // two items only, but past 100 KiB: an item count would let it through

        Assert.That(inbox.Bytes, Is.LessThanOrEqualTo(100 * 1024));
        Assert.That(wakes, Is.EqualTo(1), "one wake-up per batch");
        Assert.That(inbox.TakeOverflow(), Is.True, "the dropped event is reported, to be treated as a gap");
        Assert.That(inbox.TakeOverflow(), Is.False, "reported once");
        Assert.That(inbox.TryTake(out var first), Is.True);
        Assert.That(((ClusterInbound.Event)first).Payload, Has.Length.EqualTo(64 * 1024));
        Assert.That(inbox.TryTake(out _), Is.False, "the second was dropped, not queued");
        Assert.That(inbox.Bytes, Is.Zero);
    }

    [Test]
    public void Post_AfterTheReactorDrained_TakesItemsAgain()
    {
        var inbox = new ClusterInbox(1024, () => { });
        inbox.Post(Event(900));
        inbox.Post(Event(900));
        Assert.That(inbox.TakeOverflow(), Is.True);
        Assert.That(inbox.TryTake(out _), Is.True);

        inbox.Post(Event(900));

        Assert.That(inbox.TakeOverflow(), Is.False);
        Assert.That(inbox.TryTake(out var again), Is.True);
        Assert.That(((ClusterInbound.Event)again).Payload, Has.Length.EqualTo(900));
    }
}
