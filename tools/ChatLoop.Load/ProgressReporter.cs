using System.Globalization;
using HdrHistogram;

namespace ChatLoop.Load;

/// <summary>
/// Once a second: adds up the loops' counters, takes the latencies they handed over, writes one
/// progress line (in place on a terminal) and keeps a row for the timeline.
/// </summary>
internal sealed class ProgressReporter
{
    private readonly IReadOnlyList<EventLoop> _loops;
    private readonly int _clients;
    private readonly TextWriter? _output;
    private readonly bool _inPlace;
    private readonly LongHistogram _interval = LatencyRecorder.NewHistogram();
    private long _lastDeliveries;
    private double _lastElapsed;
    private int _lastWidth;

    public ProgressReporter(IReadOnlyList<EventLoop> loops, int clients, TextWriter? output, bool inPlace)
    {
        _loops = loops;
        _clients = clients;
        _output = output;
        _inPlace = inPlace;
    }

    /// <summary>Every latency recorded in the run so far.</summary>
    public LongHistogram Cumulative { get; } = LatencyRecorder.NewHistogram();

    public List<TimelineRow> Rows { get; } = [];

    public void Tick(double elapsedSeconds)
    {
        long joined = 0, sent = 0, deliveries = 0, echoes = 0, failures = 0;
        _interval.Reset();
        foreach (var loop in _loops)
        {
            var c = loop.Counters;
            joined += Volatile.Read(ref c.Joined);
            sent += Volatile.Read(ref c.Sent);
            deliveries += Volatile.Read(ref c.Deliveries);
            echoes += Volatile.Read(ref c.SelfEchoes);
            failures += c.Failures;
            loop.Latency.DrainInto(_interval);
        }

        Cumulative.Add(_interval);
        double seconds = Math.Max(elapsedSeconds - _lastElapsed, 1e-3);
        double rate = (deliveries - _lastDeliveries) / seconds;
        _lastDeliveries = deliveries;
        _lastElapsed = elapsedSeconds;
        Rows.Add(new TimelineRow(Math.Round(elapsedSeconds, 3), joined, sent, deliveries, Math.Round(rate), echoes,
            Micros(_interval, 50), Micros(_interval, 99), Micros(_interval, 100), failures));
        if (_output is null)
        {
            return;
        }

        string failed = failures > 0 ? string.Create(CultureInfo.InvariantCulture, $"  FAILURES {failures:N0}") : "";
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{elapsedSeconds,6:0.0}s  joined {joined:N0}/{_clients:N0}  sent {sent:N0}  deliveries {deliveries:N0}  {rate:N0}/s  p99 {Millis(Cumulative, 99)}{failed}");
        if (_inPlace)
        {
            _output.Write("\r" + line.PadRight(_lastWidth));
            _lastWidth = line.Length;
        }
        else
        {
            _output.WriteLine(line);
        }

        _output.Flush();
    }

    public void End()
    {
        if (_output is not null && _inPlace && _lastWidth > 0)
        {
            _output.WriteLine();
        }
    }

    public static double Micros(HistogramBase h, double percentile) =>
        h.TotalCount == 0 ? 0 : Math.Round((percentile >= 100 ? HistogramExtensions.GetMaxValue(h) : h.GetValueAtPercentile(percentile)) / 1000.0, 1);

    private static string Millis(HistogramBase h, double percentile) =>
        h.TotalCount == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Micros(h, percentile) / 1000:0.00} ms");
}
