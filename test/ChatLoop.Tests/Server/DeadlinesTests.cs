using System.Net;
using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Reactor;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Server;

/// <summary>The reactor's time events: earliest first, none before it is due.</summary>
public sealed class DeadlinesTests
{
    private readonly TickWork _work = new();

    [Test]
    public void TryTakeDue_SeveralAdded_EarliestFirstAndOnlyThoseDue()
    {
        var deadlines = new Deadlines();
        var a = Connection(1);
        var b = Connection(2);
        var c = Connection(3);
        deadlines.Add(a, DeadlineKind.Timeouts, 300);
        deadlines.Add(b, DeadlineKind.MessageIdle, 100);
        deadlines.Add(c, DeadlineKind.CloseGrace, 200);

        var taken = new List<(long Id, DeadlineKind Kind, long At)>();
        while (deadlines.TryTakeDue(250, out var due, out var kind, out long at))
        {
            taken.Add((due.Id, kind, at));
        }

        Assert.That(taken, Is.EqualTo(new[] { (2L, DeadlineKind.MessageIdle, 100L), (3L, DeadlineKind.CloseGrace, 200L) }));
        Assert.That(deadlines.Next, Is.EqualTo(300), "the one not yet due stays, and sets the poller's timeout");
    }

    [Test]
    public void Next_NothingAdded_NoDeadline()
    {
        var deadlines = new Deadlines();

        Assert.That(deadlines.Next, Is.EqualTo(long.MaxValue));
        Assert.That(deadlines.TryTakeDue(long.MaxValue, out _, out _, out _), Is.False);
    }

    private Connection Connection(long id) =>
        new(id, LoopbackSocket.Accepted(), new IPEndPoint(IPAddress.Loopback, 40000), _work, new ReaderLimits(8192, 65536), 1 << 20, 256 * 1024, 0);
}
