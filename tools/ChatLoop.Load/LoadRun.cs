using System.Buffers;
using System.Diagnostics;
using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Load;

/// <summary>
/// Builds the population, splits the rooms between the event loops, runs them, reports progress
/// once a second and gathers the result.
/// </summary>
internal sealed class LoadRun
{
    private readonly LoadSettings _settings;
    private readonly Population _population;
    private readonly SimClient[] _all;
    private readonly RoomState[] _rooms;

    public LoadRun(LoadSettings settings)
    {
        _settings = settings;
        _population = new Population(settings.Clients, settings.Rooms, settings.Slow, settings.Prefix);
        _all = new SimClient[_population.Total];
        for (int i = 0; i < _all.Length; i++)
        {
            _all[i] = NewClient(i);
        }

        _rooms = new RoomState[settings.Rooms];
        for (int r = 0; r < settings.Rooms; r++)
        {
            var healthy = new SimClient[_population.HealthyIn(r)];
            for (int j = 0; j < healthy.Length; j++)
            {
                healthy[j] = _all[_population.HealthyAt(r, j)];
            }

            var slow = Array.FindAll(_all, c => c.IsSlow && c.Room == r);
            _rooms[r] = new RoomState(r, Encoding.UTF8.GetBytes(_population.RoomName(r)), healthy, slow);
        }
    }

    public IReadOnlyList<TimelineRow> Timeline { get; private set; } = [];

    /// <summary>Every send-to-delivery latency of the run (ns), once it has run.</summary>
    public HdrHistogram.HistogramBase Latency { get; private set; } = LatencyRecorder.NewHistogram();

    public RunResult Run(TextWriter? progress, bool inPlace)
    {
        var cpuStart = RunControl.ProcessCpu();
        var clock = Stopwatch.StartNew();
        long start = Stopwatch.GetTimestamp();
        using var control = new RunControl(_settings.Threads, start,
            start + (long)(_settings.Timeout.TotalSeconds * Stopwatch.Frequency));
        var loops = CreateLoops(control);
        var threads = new List<Thread>();
        for (int t = 0; t < loops.Count; t++)
        {
            var thread = new Thread(loops[t].Run) { Name = $"load-loop-{t}", IsBackground = true };
            threads.Add(thread);
            thread.Start();
        }

        var reporter = new ProgressReporter(loops, _settings.Clients, progress, inPlace);
        var next = TimeSpan.FromSeconds(1);
        while (!control.WaitFinished(Max(next - clock.Elapsed, TimeSpan.Zero)))
        {
            reporter.Tick(clock.Elapsed.TotalSeconds);
            next += TimeSpan.FromSeconds(1);
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        reporter.Tick(clock.Elapsed.TotalSeconds);
        reporter.End();
        Timeline = reporter.Rows;
        Latency = reporter.Cumulative;
        var runCpu = RunControl.ProcessCpu() - cpuStart;
        return new ResultBuilder(_settings, _population, _all, _rooms, loops, control, reporter.Cumulative)
            .Build(runCpu, clock.Elapsed);
    }

    private List<EventLoop> CreateLoops(RunControl control)
    {
        var order = _all[.._settings.Clients];
        new Random(_settings.Seed).Shuffle(order);
        var loops = new List<EventLoop>(_settings.Threads);
        for (int t = 0; t < _settings.Threads; t++)
        {
            int loop = t;
            var ownRooms = Array.FindAll(_rooms, r => r.Index % _settings.Threads == loop);
            var healthy = Array.FindAll(order, c => c.Room % _settings.Threads == loop);
            var slow = Array.FindAll(_all, c => c.IsSlow && c.Room % _settings.Threads == loop);
            loops.Add(new EventLoop(_settings, _population, control, _all, _rooms, ownRooms, healthy, slow));
        }

        return loops;
    }

    private SimClient NewClient(int index)
    {
        int room = _population.RoomOf(index);
        bool slow = _population.IsSlow(index);
        var name = _population.NameOf(index);
        var join = new ArrayBufferWriter<byte>(128);
        ClientRequests.Join(join, _population.RoomName(room), name);
        return new SimClient(index, room, _population.LocalOf(index), slow, slow ? index : _population.WitnessOf(index),
            Encoding.UTF8.GetBytes(name))
        {
            Node = _population.NodeOf(index, _settings.Servers.Count),
            Out = join.WrittenSpan.ToArray(),
            OutEnd = join.WrittenCount,
        };
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
