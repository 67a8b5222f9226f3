namespace ChatLoop.Load;

/// <summary>One second of the run, as the --csv timeline records it; counts are totals so far, rates and latencies for that second.</summary>
internal sealed record TimelineRow(
    double ElapsedS,
    long Joined,
    long Sent,
    long Deliveries,
    double DeliveriesPerS,
    long SelfEchoes,
    double P50Us,
    double P99Us,
    double MaxUs,
    long Failures);
