using System.Diagnostics;

namespace ChatLoop.Load;

/// <summary>
/// What the event loops share: the barriers between stages, the times that bound the send phase,
/// the process CPU time at its edges, and an abort that stops every loop.
/// </summary>
internal sealed class RunControl : IDisposable
{
    private readonly int _loops;
    private readonly ManualResetEventSlim _finished = new();
    private int _healthyJoined;
    private int _slowJoined;
    private int _sendDone;
    private int _loopsFinished;
    private long _healthyJoinedTicks;
    private long _sendStartTicks;
    private long _sendEndTicks;
    private string? _abortReason;

    public RunControl(int loops, long startTicks, long deadlineTicks)
    {
        _loops = loops;
        StartTicks = startTicks;
        DeadlineTicks = deadlineTicks;
    }

    public long StartTicks { get; }

    public long DeadlineTicks { get; }

    public bool AllHealthyJoined => Volatile.Read(ref _healthyJoined) == _loops;

    public bool AllSlowJoined => Volatile.Read(ref _slowJoined) == _loops;

    /// <summary>When the last healthy client got its JOINED_CHATROOM.</summary>
    public long HealthyJoinedTicks => Volatile.Read(ref _healthyJoinedTicks);

    /// <summary>When the first message was sent; 0 before.</summary>
    public long SendStartTicks => Volatile.Read(ref _sendStartTicks);

    /// <summary>When the last expected delivery arrived (or the send phase ended without it).</summary>
    public long SendEndTicks => Volatile.Read(ref _sendEndTicks);

    public TimeSpan SendStartCpu { get; private set; }

    public TimeSpan SendEndCpu { get; private set; }

    public int SendStartGen0 { get; private set; }

    public int SendEndGen0 { get; private set; }

    public string? AbortReason => Volatile.Read(ref _abortReason);

    public bool Aborted => AbortReason is not null;

    public void ReportHealthyJoined(long lastJoinedTicks)
    {
        Max(ref _healthyJoinedTicks, lastJoinedTicks);
        Interlocked.Increment(ref _healthyJoined);
    }

    public void ReportSlowJoined() => Interlocked.Increment(ref _slowJoined);

    public void MarkSendStart(long ticks)
    {
        if (Interlocked.CompareExchange(ref _sendStartTicks, ticks, 0) == 0)
        {
            SendStartCpu = ProcessCpu();
            SendStartGen0 = GC.CollectionCount(0);
        }
    }

    public void ReportSendDone(long lastDeliveryTicks)
    {
        Max(ref _sendEndTicks, lastDeliveryTicks);
        if (Interlocked.Increment(ref _sendDone) == _loops)
        {
            SendEndCpu = ProcessCpu();
            SendEndGen0 = GC.CollectionCount(0);
        }
    }

    public void Abort(string reason) => Interlocked.CompareExchange(ref _abortReason, reason, null);

    public void ReportFinished()
    {
        if (Interlocked.Increment(ref _loopsFinished) == _loops)
        {
            _finished.Set();
        }
    }

    public bool WaitFinished(TimeSpan timeout) => _finished.Wait(timeout);

    public void Dispose() => _finished.Dispose();

    public static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static void Max(ref long field, long value)
    {
        long seen = Volatile.Read(ref field);
        while (value > seen)
        {
            long was = Interlocked.CompareExchange(ref field, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
