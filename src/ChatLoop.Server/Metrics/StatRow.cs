namespace ChatLoop.Server.Metrics;

/// <summary>
/// One figure of the server, with its name in STATS and in /metrics. <see cref="Read"/> gives the raw
/// value, read on the reactor thread; the scales turn it into STATS units and into Prometheus base units.
/// </summary>
/// <param name="Key">The STATS key, or null for a figure only /metrics shows.</param>
/// <param name="Metric">The Prometheus family name, or null for a figure only STATS shows.</param>
/// <param name="Read">
/// The raw value; null for a figure another part owns and supplies by <paramref name="Key"/> through
/// <see cref="ServerStats.Supplier"/> (the cluster's, PROTOCOL.md §7): shown only while supplied.
/// </param>
internal sealed record StatRow(string? Key, string? Metric, StatKind Kind, string Help, Func<ServerStats, long>? Read)
{
    /// <summary>Raw value to the STATS value (rounded down).</summary>
    public double KeyScale { get; init; } = 1;

    /// <summary>Raw value to the Prometheus value in base units (seconds, bytes).</summary>
    public double MetricScale { get; init; } = 1;

    /// <summary>The one label that tells this row from the others of its family, if the family has several.</summary>
    public (string Name, string Value)? Label { get; init; }

    /// <summary>A supplied figure that /metrics shows and STATS does not (STATS says it another way).</summary>
    public bool HiddenInStats { get; init; }
}
