namespace ChatLoop.Server.Metrics;

/// <summary>
/// The server's figures at one moment, one raw value per <see cref="StatsTable.Rows"/> row. The reactor
/// builds a new one and publishes it; once published it never changes, so any thread may read it.
/// </summary>
internal sealed class StatsSnapshot(long[] values, bool cluster)
{
    private readonly long[] _values = values;

    /// <summary>Taken on a cluster node: the cluster rows hold values.</summary>
    public bool Cluster { get; } = cluster;

    public long this[int row] => _values[row];
}
