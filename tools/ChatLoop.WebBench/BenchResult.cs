using System.Globalization;
using HdrHistogram;

namespace ChatLoop.WebBench;

/// <summary>What one run measured.</summary>
public sealed record BenchResult(string Label, long Sent, long Delivered, long Expected, double Seconds, LongHistogram Latency, string? Problem)
{
    public double MessagesPerSecond => Sent / Seconds;

    public double DeliveriesPerSecond => Delivered / Seconds;

    public double P50Ms => Latency.GetValueAtPercentile(50) / 1000.0;

    public double P99Ms => Latency.GetValueAtPercentile(99) / 1000.0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Label,-10} {Sent,9} msgs {MessagesPerSecond,9:0} msgs/s {DeliveriesPerSecond,10:0} deliveries/s   latency p50 {P50Ms,7:0.000} ms  p99 {P99Ms,7:0.000} ms   delivered {Delivered}/{Expected}{(Problem is null ? "" : "  PROBLEM: " + Problem)}");
}
