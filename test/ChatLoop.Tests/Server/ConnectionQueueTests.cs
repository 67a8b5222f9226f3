using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Reactor;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Server;

public sealed class ConnectionQueueTests
{
    private readonly TickWork _work = new();
    private long _nextId = 1;

    [Test]
    public void Enqueue_SameConnectionTwice_InOnceAndFalseTheSecondTime()
    {
        var q = new ConnectionQueue(ConnectionQueues.Run);
        var a = NewConnection();

        Assert.That(q.Enqueue(a), Is.True);
        Assert.That(q.Enqueue(a), Is.False);
        Assert.That(q.Count, Is.EqualTo(1));
        Assert.That(q.Contains(a), Is.True);
    }

    [Test]
    public void TryDequeue_AfterManyRotations_FirstInFirstOutAndMembershipCleared()
    {
        var q = new ConnectionQueue(ConnectionQueues.Held);
        var all = Enumerable.Range(0, 40).Select(_ => NewConnection()).ToArray();
        foreach (var c in all)
        {
            q.Enqueue(c);
        }

        // Take each from the front and put it back 100 times over: the ring wraps and grows, the order stays.
        for (int i = 0; i < 100 * all.Length; i++)
        {
            Assert.That(q.TryDequeue(out var c), Is.True);
            Assert.That(q.Contains(c!), Is.False);
            Assert.That(c, Is.SameAs(all[i % all.Length]));
            q.Enqueue(c!);
        }

        Assert.That(q, Is.EqualTo(all));
        q.Clear();
        Assert.That(q.Count, Is.Zero);
        Assert.That(all.Any(c => c.Queues != ConnectionQueues.None), Is.False);
    }

    [Test]
    public void Queues_TwoQueuesOneConnection_EachTracksItsOwnMembership()
    {
        var run = new ConnectionQueue(ConnectionQueues.Run);
        var held = new ConnectionQueue(ConnectionQueues.Held);
        var a = NewConnection();

        run.Enqueue(a);
        held.Enqueue(a);
        run.TryDequeue(out _);

        Assert.That(run.Contains(a), Is.False);
        Assert.That(held.Contains(a), Is.True);
    }

    [Test]
    public void Enumerate_AddedDuringTheWalk_VisitedToo()
    {
        var q = new ConnectionQueue(ConnectionQueues.Closing);
        var a = NewConnection();
        var b = NewConnection();
        q.Enqueue(a);
        var seen = new List<Connection>();

        foreach (var c in q)
        {
            seen.Add(c);
            q.Enqueue(b);
        }

        Assert.That(seen, Is.EqualTo(new[] { a, b }));
    }

    private Connection NewConnection() => new(_nextId++, LoopbackSocket.Accepted(), null, _work, ReaderLimits.Default, 1 << 20, 1 << 18, 0);
}
