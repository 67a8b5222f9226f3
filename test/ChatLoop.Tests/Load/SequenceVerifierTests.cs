using ChatLoop.Load;

namespace ChatLoop.Tests.Load;

public sealed class SequenceVerifierTests
{
    [Test]
    public void Record_EverySeqInOrder_NothingMissingOrFlagged()
    {
        var v = new SequenceVerifier(members: 3);
        for (int q = 0; q < 5; q++)
        {
            Assert.That(v.Record(receiver: 1, sender: 2, q), Is.EqualTo(DeliveryResult.InOrder));
        }

        Assert.That(v.Missing(1, 2, sent: 5), Is.Zero);
        Assert.That(v.OutOfOrder, Is.Zero);
        Assert.That(v.Duplicates, Is.Zero);
    }

    [Test]
    public void Missing_GapNeverFilled_CountsLostIncludingTail()
    {
        var v = new SequenceVerifier(2);
        v.Record(0, 1, 0);
        Assert.That(v.Record(0, 1, 2), Is.EqualTo(DeliveryResult.Ahead));

        // 1 skipped, 3 and 4 never came
        Assert.That(v.Missing(0, 1, sent: 5), Is.EqualTo(3));
        Assert.That(v.Received(0, 1), Is.EqualTo(2));
        Assert.That(v.OutOfOrder, Is.Zero);
    }

    [Test]
    public void Record_SkippedSeqArrivesLater_OutOfOrderAndNotLost()
    {
        var v = new SequenceVerifier(2);
        v.Record(1, 0, 0);
        v.Record(1, 0, 2);
        Assert.That(v.Record(1, 0, 1), Is.EqualTo(DeliveryResult.Late));
        v.Record(1, 0, 3);
        Assert.That(v.OutOfOrder, Is.EqualTo(1));
        Assert.That(v.Missing(1, 0, sent: 4), Is.Zero);
        Assert.That(v.Duplicates, Is.Zero);
    }

    [TestCase(new[] { 0, 0 })]
    [TestCase(new[] { 0, 1, 2, 1 })]
    [TestCase(new[] { 0, 2, 1, 1 })]
    public void Record_SeqSeenBefore_Duplicate(int[] seqs)
    {
        var v = new SequenceVerifier(1);
        var last = DeliveryResult.InOrder;
        foreach (int q in seqs)
        {
            last = v.Record(0, 0, q);
        }

        Assert.That(last, Is.EqualTo(DeliveryResult.Duplicate));
        Assert.That(v.Duplicates, Is.EqualTo(1));
        Assert.That(v.Missing(0, 0, sent: seqs.Max() + 1), Is.Zero);
    }

    [Test]
    public void Record_PairsAreIndependent_OneReceiversLossDoesNotShowOnAnother()
    {
        var v = new SequenceVerifier(3);
        v.Record(receiver: 0, sender: 2, 0);
        v.Record(receiver: 0, sender: 2, 1);
        v.Record(receiver: 1, sender: 2, 1);
        Assert.That(v.Missing(0, 2, sent: 2), Is.Zero);
        Assert.That(v.Missing(1, 2, sent: 2), Is.EqualTo(1));
        Assert.That(v.Missing(2, 2, sent: 2), Is.EqualTo(2));
    }
}
