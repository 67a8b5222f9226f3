namespace ChatLoop.Server.Cluster;

/// <summary>
/// This node's wall clock (the server's <see cref="TimeProvider"/>) and its measured offset from Redis's
/// <c>TIME</c>: deadlines are reckoned here and compared by the Lua scripts against Redis's own clock. Any
/// thread: the offset is one interlocked value, set by the liveness thread.
/// </summary>
internal sealed class RedisClock
{
    private readonly TimeProvider _time;
    private readonly long _timeoutMs;
    private long _offsetMs;

    public RedisClock(TimeProvider time, TimeSpan redisTimeout)
    {
        _time = time;
        _timeoutMs = (long)redisTimeout.TotalMilliseconds;
    }

    public TimeProvider Time => _time;

    /// <summary>This node's wall clock in Unix milliseconds.</summary>
    public long WallClockMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Redis's clock as this node reckons it: the wall clock plus the measured offset.</summary>
    public long RedisNowMs() => WallClockMs() + Interlocked.Read(ref _offsetMs);

    /// <summary>The deadline of a request made now (--redis-timeout-ms), by Redis's clock.</summary>
    public long DeadlineMs() => RedisNowMs() + _timeoutMs;

    /// <summary>
    /// Redis's clock minus this node's, taking the middle of the round trip as the moment Redis read it:
    /// <paramref name="before"/> is <see cref="WallClockMs"/> when the request went, the rest is what TIME said.
    /// </summary>
    public void SetOffset(long before, long seconds, long micros)
    {
        long after = WallClockMs();
        long redisMs = (seconds * 1000) + (micros / 1000);
        Interlocked.Exchange(ref _offsetMs, redisMs - ((before + after) / 2));
    }
}
