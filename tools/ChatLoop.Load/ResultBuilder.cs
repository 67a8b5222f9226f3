using System.Diagnostics;
using HdrHistogram;

namespace ChatLoop.Load;

/// <summary>Turns the loops' counters and the verifiers' state, after the run, into a <see cref="RunResult"/>.</summary>
internal sealed class ResultBuilder
{
    private readonly LoadSettings _settings;
    private readonly Population _population;
    private readonly SimClient[] _all;
    private readonly RoomState[] _rooms;
    private readonly IReadOnlyList<EventLoop> _loops;
    private readonly RunControl _control;
    private readonly HistogramBase _latency;

    public ResultBuilder(LoadSettings settings, Population population, SimClient[] all, RoomState[] rooms,
        IReadOnlyList<EventLoop> loops, RunControl control, HistogramBase latency)
    {
        _settings = settings;
        _population = population;
        _all = all;
        _rooms = rooms;
        _loops = loops;
        _control = control;
        _latency = latency;
    }

    public RunResult Build(TimeSpan runCpu, TimeSpan runWall)
    {
        long Sum(Func<LoopCounters, long> f) => _loops.Sum(l => f(l.Counters));
        double joinS = Seconds(_control.StartTicks, _control.HealthyJoinedTicks);
        double sendS = _control.SendStartTicks == 0 ? 0 : Seconds(_control.SendStartTicks, _control.SendEndTicks);
        double cpuSend = (_control.SendEndCpu - _control.SendStartCpu).TotalSeconds;
        long deliveries = Sum(c => c.Deliveries);
        long sent = Sum(c => c.Sent);
        long lost = 0, duplicated = 0, outOfOrder = 0, expected = 0, duplicateNotices = 0;
        var joins = default(JoinCheck);
        int slowLeft = 0;
        foreach (var room in _rooms)
        {
            duplicated += room.Sequences.Duplicates;
            outOfOrder += room.Sequences.OutOfOrder;
            duplicateNotices += room.Joins.Duplicates;
            joins += room.Joins.Check();
            foreach (var sender in room.Healthy)
            {
                expected += (long)sender.Sent * (room.Healthy.Length - 1);
                foreach (var receiver in room.Healthy)
                {
                    lost += receiver.LostEarly ? 0 : room.Sequences.Missing(receiver.Local, sender.Local, sender.Sent);
                }
            }

            for (int k = 0; k < room.Slow.Length; k++)
            {
                slowLeft += room.Joins.SlowLeft(k) ? 1 : 0;
            }
        }

        var slow = _all[_population.Clients..];
        return new RunResult
        {
            Server = string.Join(",", _settings.Servers),
            JoinedPerServer = [.. _settings.Servers.Select((_, n) => _all.Count(c => c.Node == n && !c.IsSlow && c.JoinedTicks != 0))],
            Scenario = _settings.Scenario,
            Clients = _settings.Clients,
            Rooms = _settings.Rooms,
            MessagesPerClient = _settings.Messages,
            DurationS = _settings.Duration.TotalSeconds,
            Size = _settings.Size,
            Window = _settings.Window,
            Rate = _settings.Rate,
            Slow = _settings.Slow,
            Threads = _settings.Threads,
            Seed = _settings.Seed,
            Joined = Sum(c => c.Joined),
            SlowJoined = Sum(c => c.SlowJoined),
            JoinS = Math.Round(joinS, 3),
            JoinsPerS = Math.Round(joinS > 0 ? Sum(c => c.Joined) / joinS : 0),
            SendS = Math.Round(sendS, 3),
            Sent = sent,
            MessagesPerS = Math.Round(sendS > 0 ? sent / sendS : 0),
            Deliveries = deliveries,
            ExpectedDeliveries = expected,
            DeliveriesPerS = Math.Round(sendS > 0 ? deliveries / sendS : 0),
            SelfEchoes = Sum(c => c.SelfEchoes),
            LatencyP50Us = ProgressReporter.Micros(_latency, 50),
            LatencyP90Us = ProgressReporter.Micros(_latency, 90),
            LatencyP99Us = ProgressReporter.Micros(_latency, 99),
            LatencyP999Us = ProgressReporter.Micros(_latency, 99.9),
            LatencyMaxUs = ProgressReporter.Micros(_latency, 100),
            BytesSent = Sum(c => c.BytesOut),
            BytesReceived = Sum(c => c.BytesIn),
            Lost = lost,
            Duplicated = duplicated,
            OutOfOrder = outOfOrder,
            UnexpectedBlocks = Sum(c => c.Unexpected),
            Errors = Sum(c => c.Errors),
            ClosedEarly = Sum(c => c.ClosedEarly),
            JoinOrderErrors = Sum(c => c.JoinOrder),
            JoinNotices = joins,
            DuplicateNotices = duplicateNotices,
            SlowCutOff = slow.Count(c => c.ServerClosed && c.ErrorCode == 10),
            SlowClosedOther = slow.Count(c => c.ServerClosed && c.ErrorCode != 10),
            SlowStillOpen = slow.Count(c => !c.ServerClosed),
            SlowLeaveNoticesSeen = slowLeft,
            CpuSendS = Math.Round(cpuSend, 3),
            CpuSendShare = Math.Round(sendS > 0 ? cpuSend / sendS : 0, 3),
            CpuRunS = Math.Round(runCpu.TotalSeconds, 3),
            WallRunS = Math.Round(runWall.TotalSeconds, 3),
            Gen0Collections = _control.SendEndGen0 - _control.SendStartGen0,
            StoppedBecause = _control.AbortReason,
            Problems = [.. _loops.SelectMany(l => l.Problems.Lines).Take(10)],
        };
    }

    private static double Seconds(long from, long to) => to > from ? (double)(to - from) / Stopwatch.Frequency : 0;
}
