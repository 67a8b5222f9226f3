using System.Net.Sockets;
using ChatLoop.Server;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Polling;

/// <summary>
/// The poller's interest bookkeeping on real sockets, the same cases for Select and epoll: what is reported
/// is exactly what is ready among what the reactor asked for, after adds, changes and removes.
/// </summary>
public sealed class PollerInterestTests(PollerKind poller) : PollerFixture(poller)
{
    private static readonly byte[] Ping = [(byte)'x'];

    [Test]
    public void Wait_ReadInterest_ReportedOnlyOnceDataArrives()
    {
        using var rig = new PollerRig(Poller);
        var (c, client) = rig.Open(Interest.Read);

        Assert.That(rig.WaitShort().Readable, Does.Not.Contain(c), "nothing was sent yet");
        client.Send(Ping);
        Assert.That(rig.WaitUntil(r => r.Readable.Contains(c)), Is.True, "readable once data arrived");
    }

    [Test]
    public void Change_ReadInterestOffThenOn_WaitingDataReportedOnlyWhileWanted()
    {
        using var rig = new PollerRig(Poller);
        var (c, client) = rig.Open(Interest.Read);
        client.Send(Ping);
        Assert.That(rig.WaitUntil(r => r.Readable.Contains(c)), Is.True);

        rig.Poller.Change(c, Interest.None);
        Assert.That(rig.WaitShort().Readable, Does.Not.Contain(c), "read interest is off");

        rig.Poller.Change(c, Interest.Read);
        Assert.That(rig.WaitUntil(r => r.Readable.Contains(c)), Is.True, "the unread byte is reported again");
    }

    [Test]
    public void Change_WriteInterest_WritableReportedOnlyWhileAsked()
    {
        using var rig = new PollerRig(Poller);
        var (c, _) = rig.Open(Interest.None);
        Assert.That(rig.WaitShort().Writable, Does.Not.Contain(c), "write interest is off");

        rig.Poller.Change(c, Interest.Read | Interest.Write);
        Assert.That(rig.WaitUntil(r => r.Writable.Contains(c)), Is.True, "an empty send queue is writable");
        Assert.That(rig.Poller.Ready.Readable, Does.Not.Contain(c), "nothing to read");

        rig.Poller.Change(c, Interest.Read);
        Assert.That(rig.WaitShort().Writable, Does.Not.Contain(c));
    }

    [Test]
    public void Remove_ThenAddAnother_EventsFindTheNewConnectionNotTheOld()
    {
        using var rig = new PollerRig(Poller);
        var (first, firstClient) = rig.Open(Interest.Read);
        var (second, secondClient) = rig.Open(Interest.Read);
        rig.Poller.Remove(first);
        Assert.That(first.PollToken, Is.EqualTo(-1));
        var (third, thirdClient) = rig.Open(Interest.Read);

        firstClient.Send(Ping);
        thirdClient.Send(Ping);
        Assert.That(rig.WaitUntil(r => r.Readable.Contains(third)), Is.True);
        Assert.That(rig.Poller.Ready.Readable, Does.Not.Contain(first), "removed");
        Assert.That(rig.Poller.Ready.Readable, Does.Not.Contain(second), "nothing sent to it");

        rig.Poller.Remove(third);
        secondClient.Send(Ping);
        Assert.That(rig.WaitUntil(r => r.Readable.Contains(second)), Is.True, "still watched after the others left");
        Assert.That(rig.Poller.Ready.Readable, Has.Count.EqualTo(1));
    }

    [Test]
    public void Wait_ManyConnectionsMixedInterest_ReadyIsExactlyWantedAndPoked()
    {
        using var rig = new PollerRig(Poller);
        var open = new List<(Connection Server, Socket Client)>();
        for (int i = 0; i < 60; i++)
        {
            open.Add(rig.Open(i % 3 == 0 ? Interest.None : Interest.Read));
        }

        for (int i = 0; i < open.Count; i += 2)
        {
            open[i].Client.Send(Ping);
        }

        // Wanted and poked: even indexes not divisible by 3.
        var expected = open.Where((_, i) => i % 2 == 0 && i % 3 != 0).Select(p => p.Server).ToList();
        Assert.That(rig.WaitUntil(r => r.Readable.Count == expected.Count), Is.True, "every wanted, poked connection");
        Assert.That(rig.Poller.Ready.Readable, Is.EquivalentTo(expected));
    }

    [Test]
    public void WatchListener_OffThenOn_PendingConnectionReportedOnlyWhileAccepting()
    {
        using var rig = new PollerRig(Poller);
        rig.Poller.WatchListener(false);
        rig.ConnectClient();
        Assert.That(rig.WaitShort().Listener, Is.False, "accepting is paused");

        rig.Poller.WatchListener(true);
        Assert.That(rig.WaitUntil(r => r.Listener), Is.True);
    }

    [Test]
    public void Wait_WakeupSignalled_ReportedAsWakeup()
    {
        using var rig = new PollerRig(Poller);
        Assert.That(rig.WaitShort().Wakeup, Is.False);

        rig.Wakeup.Signal();
        Assert.That(rig.WaitUntil(r => r.Wakeup), Is.True);
    }
}
