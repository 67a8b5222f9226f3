using ChatLoop.Server.Sequencing;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Server;

/// <summary>Where a first JOIN's JOIN_ID comes from, on one node and on a cluster node.</summary>
public sealed class JoinIdBlockTests
{
    [Test]
    public void TakeFor_Endless_OneTwoThreeInOrder()
    {
        var h = new HandlerHarness();
        var ids = JoinIdBlock.Endless();

        Assert.That(new[] { ids.TakeFor(h.Connect()), ids.TakeFor(h.Connect()), ids.TakeFor(h.Connect()) }, Is.EqualTo(new[] { 1L, 2L, 3L }));
    }

    [Test]
    public void TakeFor_EmptyUntilRefilled_NoneThenTheBlocksIdsThenNoneAgain()
    {
        var h = new HandlerHarness();
        var ids = JoinIdBlock.Empty();

        Assert.That(ids.TakeFor(h.Connect()), Is.Zero, "a cluster node has no id before Redis hands it a block");
        Assert.That(ids.End, Is.Zero);

        ids.Refill(1002, 1003);

        Assert.That(new[] { ids.TakeFor(h.Connect()), ids.TakeFor(h.Connect()), ids.TakeFor(h.Connect()) }, Is.EqualTo(new[] { 1002L, 1003L, 0L }));
        Assert.That(ids.End, Is.EqualTo(1003));
    }

    [Test]
    public void TakeFor_BoundConnection_ItsOwnIdAndTheBlockUntouched()
    {
        var h = new HandlerHarness();
        var ids = JoinIdBlock.Endless();
        var bound = h.Connect();
        h.Handler.Names.Bind(bound, "a", 42);

        Assert.That(ids.TakeFor(bound), Is.EqualTo(42));
        Assert.That(ids.TakeFor(h.Connect()), Is.EqualTo(1));
        Assert.That(h.Handler.Names.Holder("A"), Is.SameAs(bound), "bound and held, without regard to case");
    }
}
