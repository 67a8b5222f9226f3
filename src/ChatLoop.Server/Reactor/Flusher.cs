using System.Net.Sockets;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// One Send per connection with queued bytes; what the kernel does not take waits for the poller to say
/// writable. Every connection whose queue changed passes here, so its flow state and its interest are looked
/// at again.
/// </summary>
internal sealed class Flusher
{
    private readonly ReactorClock _clock;
    private readonly TickWork _work;
    private readonly ServerStats _stats;
    private readonly FlowControl _flow;
    private readonly InterestTracker _interest;
    private readonly Timeouts _timeouts;

    public Flusher(ReactorClock clock, TickWork work, ServerStats stats, FlowControl flow, InterestTracker interest, Timeouts timeouts)
    {
        _clock = clock;
        _work = work;
        _stats = stats;
        _flow = flow;
        _interest = interest;
        _timeouts = timeouts;
    }

    public void FlushAll()
    {
        var dirty = _work.Dirty;
        long now = _clock.Now;
        _flow.BeginFlush();
        for (int n = dirty.Count; n > 0 && dirty.TryDequeue(out var c); n--)
        {
            if (c.State == ConnectionState.Closed || c.CloseHard)
            {
                c.DropQueued();
            }
            else if (!c.Outbound.IsEmpty && (!c.WriteBlocked || _flow.ProbeDue(c, now)))
            {
                Send(c);
            }

            _flow.Track(c, now);
            _interest.MayChange(c);
            if (!c.Outbound.IsEmpty)
            {
                dirty.Enqueue(c);
            }
        }

        _flow.EndFlush();
    }

    private void Send(Connection c)
    {
        var error = c.SendQueued(_clock.Now, out int sent);
        _stats.Sends++;
        var outbound = c.Outbound;
        if (error == SocketError.Success)
        {
            _stats.BytesOut += sent;
            if (outbound.IsEmpty && outbound.HoldsSmallBlock)
            {
                outbound.ReleaseIfEmpty();
            }
            else if (outbound.IsEmpty)
            {
                // A queue that grew is kept while the client is busy, and given back once it is idle.
                _timeouts.ClockStarted(c);
            }
        }
        else if (error != SocketError.WouldBlock)
        {
            Faults.LostPeer(c, error);
        }
    }
}
