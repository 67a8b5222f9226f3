using ChatLoop.Load;

namespace ChatLoop.Tests.Load;

public sealed class JoinLedgerTests
{
    /// <summary>Members join in the given order; each present member, the joiner included, gets the notice.</summary>
    private static JoinLedger Joined(int members, int[] order)
    {
        var ledger = new JoinLedger(members, slow: 0);
        var present = new List<int>();
        foreach (int joiner in order)
        {
            present.Add(joiner);
            foreach (int receiver in present)
            {
                ledger.RecordJoin(receiver, joiner);
            }
        }

        return ledger;
    }

    [Test]
    public void Check_NoticesAsProtocolSays_NoProblemsAndComplete()
    {
        var ledger = Joined(4, [2, 0, 3, 1]);
        Assert.That(ledger.HealthyComplete, Is.True);
        Assert.That(ledger.Check(), Is.EqualTo(default(JoinCheck)));
    }

    [Test]
    public void Check_EarlierMemberMissedALaterJoin_MissingPair()
    {
        var ledger = new JoinLedger(2, 0);
        ledger.RecordJoin(0, 0);
        ledger.RecordJoin(1, 1);
        Assert.That(ledger.HealthyComplete, Is.False);
        Assert.That(ledger.Check().MissingPairs, Is.EqualTo(1));
    }

    [Test]
    public void Check_LaterJoinerGotEarlierMembersNotice_BothWays()
    {
        var ledger = Joined(2, [0, 1]);
        ledger.RecordJoin(1, 0);
        Assert.That(ledger.Check().BothWays, Is.EqualTo(1));
    }

    [Test]
    public void Check_NoticesFormACycle_RoomInconsistent()
    {
        // a saw b join, b saw c join, c saw a join: no join order gives that
        var ledger = new JoinLedger(3, 0);
        for (int m = 0; m < 3; m++)
        {
            ledger.RecordJoin(m, m);
        }

        ledger.RecordJoin(0, 1);
        ledger.RecordJoin(1, 2);
        ledger.RecordJoin(2, 0);
        var check = ledger.Check();
        Assert.That(check.MissingPairs + check.BothWays, Is.Zero);
        Assert.That(check.InconsistentRooms, Is.EqualTo(1));
    }

    [Test]
    public void RecordJoin_SameNoticeTwice_CountedAsDuplicate()
    {
        var ledger = Joined(2, [0, 1]);
        Assert.That(ledger.RecordJoin(0, 1), Is.False);
        Assert.That(ledger.Duplicates, Is.EqualTo(1));
        Assert.That(ledger.HealthyComplete, Is.True);
    }

    [Test]
    public void Check_HealthyMemberMissedSlowJoin_MissingSlow()
    {
        var ledger = new JoinLedger(2, slow: 1);
        ledger.RecordJoin(0, 0);
        ledger.RecordJoin(0, 1);
        ledger.RecordJoin(1, 1);
        ledger.RecordJoin(0, 2);
        Assert.That(ledger.SlowComplete, Is.False);
        Assert.That(ledger.Check().MissingSlow, Is.EqualTo(1));
        ledger.RecordJoin(1, 2);
        Assert.That(ledger.SlowComplete, Is.True);
        Assert.That(ledger.Check().Problems, Is.Zero);
    }

    [Test]
    public void RecordSlowLeave_SeenOnceThenAgain_SlowLeftAndDuplicate()
    {
        var ledger = new JoinLedger(2, slow: 2);
        Assert.That(ledger.SlowLeft(1), Is.False);
        Assert.That(ledger.RecordSlowLeave(receiver: 1, slow: 1), Is.True);
        Assert.That(ledger.SlowLeft(1), Is.True);
        Assert.That(ledger.SlowLeft(0), Is.False);
        Assert.That(ledger.RecordSlowLeave(1, 1), Is.False);
        Assert.That(ledger.Duplicates, Is.EqualTo(1));
    }
}
