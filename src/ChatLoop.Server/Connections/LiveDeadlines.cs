using ChatLoop.Server.Reactor;

namespace ChatLoop.Server.Connections;

/// <summary>
/// A connection's live entries in the reactor's <see cref="Reactor.Deadlines"/>, for the kinds whose owner keeps
/// one at a time (the timeouts, the message idle time). Entries are never moved or removed: an owner books a new
/// one only when it falls due sooner than the live one, and an entry that comes due and is not the live one is
/// stale and ignored.
/// </summary>
internal sealed class LiveDeadlines
{
    // When the live entry of each kind falls due, or 0 while it has none.
    private long _timeoutsDueAt;
    private long _messageIdleDueAt;

    /// <summary>
    /// True, and <paramref name="due"/> is the live entry of that kind now, unless one as early is live already;
    /// on true the caller adds the entry to <see cref="Reactor.Deadlines"/>.
    /// </summary>
    public bool TryBook(DeadlineKind kind, long due)
    {
        ref long booked = ref DueAt(kind);
        if (booked != 0 && booked <= due)
        {
            return false;
        }

        booked = due;
        return true;
    }

    /// <summary>An entry of that kind came due at <paramref name="at"/>: true when it is its live one (which is then gone), false for a stale one.</summary>
    public bool TryTake(DeadlineKind kind, long at)
    {
        ref long booked = ref DueAt(kind);
        if (at != booked)
        {
            return false;
        }

        booked = 0;
        return true;
    }

    private ref long DueAt(DeadlineKind kind)
    {
        if (kind == DeadlineKind.Timeouts)
        {
            return ref _timeoutsDueAt;
        }

        if (kind == DeadlineKind.MessageIdle)
        {
            return ref _messageIdleDueAt;
        }

        throw new ArgumentOutOfRangeException(nameof(kind), kind, "only the timeouts and the message idle time keep one live entry");
    }
}
