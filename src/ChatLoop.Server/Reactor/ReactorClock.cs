namespace ChatLoop.Server.Reactor;

/// <summary>The reactor's one clock: timestamps from the server's <see cref="TimeProvider"/>, and durations in its units.</summary>
internal sealed class ReactorClock
{
    private readonly TimeProvider _time;

    public ReactorClock(TimeProvider time) => _time = time;

    public long Now => _time.GetTimestamp();

    public long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    public TimeSpan Between(long from, long to) => _time.GetElapsedTime(from, to);

    /// <summary>Whole milliseconds from <paramref name="now"/> until <paramref name="at"/>, rounded up.</summary>
    public long MillisecondsUntil(long at, long now) => (long)Math.Ceiling((at - now) * 1000.0 / _time.TimestampFrequency);
}
