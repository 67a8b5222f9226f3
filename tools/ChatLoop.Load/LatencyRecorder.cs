using System.Diagnostics;
using HdrHistogram;

namespace ChatLoop.Load;

/// <summary>
/// Send-to-delivery latencies of one event loop, in nanoseconds. The loop records into its own
/// histogram without a lock and hands what it has to the reporter a few times a second.
/// </summary>
internal sealed class LatencyRecorder
{
    /// <summary>One hour: anything slower is recorded as this.</summary>
    public const long HighestNanoseconds = 3_600_000_000_000;

    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private readonly LongHistogram _local = NewHistogram();
    private readonly LongHistogram _handedOver = NewHistogram();
    private readonly Lock _gate = new();

    public static LongHistogram NewHistogram() => new(HighestNanoseconds, 3);

    public void Record(long elapsedTicks)
    {
        long ns = (long)(elapsedTicks * NanosecondsPerTick);
        _local.RecordValue(Math.Clamp(ns, 0, HighestNanoseconds));
    }

    /// <summary>Loop thread: hands over what was recorded since the last call.</summary>
    public void Publish()
    {
        if (_local.TotalCount == 0)
        {
            return;
        }

        lock (_gate)
        {
            _handedOver.Add(_local);
        }

        _local.Reset();
    }

    /// <summary>Reporter thread: adds what was handed over to <paramref name="target"/> and clears it.</summary>
    public void DrainInto(HistogramBase target)
    {
        lock (_gate)
        {
            target.Add(_handedOver);
            _handedOver.Reset();
        }
    }
}
