using System.Globalization;
using HdrHistogram;

namespace ChatLoop.Load;

/// <summary>
/// What --plot draws, taken from one run: the timeline (one point a second, as --csv) and the
/// latency percentile spectrum of the whole run (HdrHistogram's percentile distribution). Pure:
/// built apart from any drawing so that tests can check it. Latencies are in milliseconds; a
/// second in which nothing was delivered has no latency (NaN), and a run with no deliveries has
/// an empty spectrum.
/// </summary>
internal sealed record PlotData(
    string Settings,
    string Verdict,
    bool Passed,
    double[] Seconds,
    double[] DeliveriesPerS,
    double[] Joined,
    double[] P50Ms,
    double[] P99Ms,
    double[] MaxMs,
    double[] SpectrumPercentiles,
    double[] SpectrumMs)
{
    /// <summary>Percentile points per halving of the distance to 100%, as HdrHistogram's own output uses.</summary>
    private const int TicksPerHalfDistance = 5;

    public static PlotData From(RunResult result, IReadOnlyList<TimelineRow> rows, HistogramBase latency)
    {
        var percentiles = new List<double>();
        var millis = new List<double>();
        if (latency.TotalCount > 0)
        {
            foreach (var v in latency.Percentiles(TicksPerHalfDistance))
            {
                percentiles.Add(v.PercentileLevelIteratedTo);
                millis.Add(latency.HighestEquivalentValue(v.ValueIteratedTo) / 1e6);
            }
        }

        static double Ms(double micros) => micros <= 0 ? double.NaN : micros / 1000;
        var inv = CultureInfo.InvariantCulture;
        string verdict = string.Create(inv,
            $"{(result.Passed ? "PASS" : "FAIL")}: {result.Deliveries:N0} of {result.ExpectedDeliveries:N0} delivered, {result.DeliveriesPerS:N0} deliveries/s, latency p50 {result.LatencyP50Us / 1000:0.00} ms, p99 {result.LatencyP99Us / 1000:0.00} ms, max {result.LatencyMaxUs / 1000:0.00} ms");
        if (result.StoppedBecause is { } why)
        {
            verdict += $" (stopped: {why})";
        }

        return new PlotData(
            SummaryWriter.LoadLine(result),
            verdict,
            result.Passed,
            [.. rows.Select(r => r.ElapsedS)],
            [.. rows.Select(r => r.DeliveriesPerS)],
            [.. rows.Select(r => (double)r.Joined)],
            [.. rows.Select(r => Ms(r.P50Us))],
            [.. rows.Select(r => Ms(r.P99Us))],
            [.. rows.Select(r => Ms(r.MaxUs))],
            [.. percentiles],
            [.. millis]);
    }
}
