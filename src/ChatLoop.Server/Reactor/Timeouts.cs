using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// The timeouts that cut a client off - a request left unfinished, no JOIN for too long, queued bytes left
/// unread too long (the lag clock) - and the release of an idle client's grown outbound buffer. Each open
/// connection has at most one live entry in <see cref="Deadlines"/>, at the earliest of its clocks; when it
/// comes due the clocks are read as they are then, and the next entry is added.
/// </summary>
internal sealed class Timeouts
{
    private readonly ServerSettings _settings;
    private readonly Deadlines _deadlines;
    private readonly CommandHandler _handler;
    private readonly long _requestTicks;
    private readonly long _joinTicks;
    private readonly long _maxLagTicks;
    private readonly long _releaseTicks;

    public Timeouts(ServerSettings settings, Deadlines deadlines, CommandHandler handler, ReactorClock clock)
    {
        _settings = settings;
        _deadlines = deadlines;
        _handler = handler;
        _requestTicks = clock.Ticks(settings.RequestTimeout);
        _joinTicks = clock.Ticks(settings.JoinTimeout);
        _maxLagTicks = clock.Ticks(settings.MaxLag);
        _releaseTicks = clock.Ticks(ReleaseAfter(settings));
    }

    /// <summary>How long a grown outbound buffer is kept once empty: a quarter of the shortest timeout, 5 ms to 1 s.</summary>
    public static TimeSpan ReleaseAfter(ServerSettings settings)
    {
        var shortest = new[] { settings.RequestTimeout, settings.JoinTimeout, settings.CloseGrace, settings.MaxLag }.Min();
        return TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 4, 5, 1000));
    }

    /// <summary>A new connection: its join clock runs from now.</summary>
    public void Admitted(Connection c) => Watch(c);

    /// <summary>One of its clocks started (a request left unfinished, bytes left queued) or its queue emptied.</summary>
    public void ClockStarted(Connection c) => Watch(c);

    /// <summary>Its entry came due: the first clock run out cuts it off (as before: lag, then request, then join).</summary>
    public void Expire(Connection c, long at, long now)
    {
        if (!c.LiveDeadlines.TryTake(DeadlineKind.Timeouts, at) || !c.IsOpen)
        {
            return;
        }

        if (c.Flow.LagSince != 0 && now - c.Flow.LagSince > _maxLagTicks)
        {
            _handler.Fail(c, ErrorCode.TooSlow, $"too slow: what was sent to this client has waited more than {_settings.MaxLag.TotalSeconds:0.###} s for it to read it");
            return;
        }

        if (c.Input.UnfinishedSince != 0 && now - c.Input.UnfinishedSince > _requestTicks)
        {
            _handler.Fail(c, ErrorCode.Timeout, $"timeout: a request was left unfinished for {_settings.RequestTimeout.TotalSeconds:0.###} s");
            return;
        }

        if (c.Member.JoinId == 0 && now - c.Input.LastRequestAt > _joinTicks)
        {
            _handler.Fail(c, ErrorCode.Timeout, $"timeout: no request and no JOIN_CHATROOM for {_settings.JoinTimeout.TotalSeconds:0.###} s");
            return;
        }

        if (c.Outbound.IsEmpty && now - c.LastSendAt > _releaseTicks)
        {
            // A queue that grew is kept while the client is busy, and given back once it is idle.
            c.Outbound.ReleaseIfEmpty();
        }

        Watch(c);
    }

    /// <summary>Adds an entry at its earliest clock, unless one as early is there already.</summary>
    private void Watch(Connection c)
    {
        long due = NextDue(c);
        if (due != long.MaxValue && c.LiveDeadlines.TryBook(DeadlineKind.Timeouts, due))
        {
            _deadlines.Add(c, DeadlineKind.Timeouts, due);
        }
    }

    /// <summary>The first moment one of its clocks has run out (each fires once strictly past its limit).</summary>
    private long NextDue(Connection c)
    {
        long due = long.MaxValue;
        if (c.Flow.LagSince != 0)
        {
            due = Math.Min(due, c.Flow.LagSince + _maxLagTicks + 1);
        }

        if (c.Input.UnfinishedSince != 0)
        {
            due = Math.Min(due, c.Input.UnfinishedSince + _requestTicks + 1);
        }

        if (c.Member.JoinId == 0)
        {
            due = Math.Min(due, c.Input.LastRequestAt + _joinTicks + 1);
        }

        if (c.Outbound.IsEmpty && c.Outbound.Array is not null)
        {
            due = Math.Min(due, c.LastSendAt + _releaseTicks + 1);
        }

        return due;
    }
}
