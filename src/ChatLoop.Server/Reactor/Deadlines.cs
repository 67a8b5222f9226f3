using System.Diagnostics.CodeAnalysis;
using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// The connections' time events, earliest first (Redis keeps its time events the same way): a tick looks
/// only at the deadlines that are due, and the poller's timeout comes from the earliest, so a tick costs
/// nothing for a connection that has nothing due, however many are idle.
/// Deadlines are never moved or removed: an owner whose clock moved on (a request came, bytes were sent)
/// leaves the old entry in place and, when it comes due, finds it early and adds the new one then. So
/// activity costs no heap work; each entry is one push and one pop.
/// </summary>
internal sealed class Deadlines
{
    private readonly PriorityQueue<Entry, long> _queue = new();

    /// <summary>When the earliest deadline falls due, or <see cref="long.MaxValue"/> when there is none.</summary>
    public long Next => _queue.TryPeek(out _, out long at) ? at : long.MaxValue;

    public int Count => _queue.Count;

    public void Add(Connection c, DeadlineKind kind, long at) => _queue.Enqueue(new Entry(c, kind), at);

    /// <summary>Takes the earliest deadline if it is due by <paramref name="now"/>.</summary>
    public bool TryTakeDue(long now, [MaybeNullWhen(false)] out Connection c, out DeadlineKind kind, out long at)
    {
        if (_queue.TryPeek(out var entry, out at) && at <= now)
        {
            _queue.Dequeue();
            c = entry.Connection;
            kind = entry.Kind;
            return true;
        }

        c = null;
        kind = default;
        return false;
    }

    public void Clear() => _queue.Clear();

    private readonly record struct Entry(Connection Connection, DeadlineKind Kind);
}
