namespace ChatLoop.Server.Metrics;

/// <summary>
/// The server's figures at one moment, one raw value per <see cref="StatsTable.Rows"/> row. The reactor
/// builds a new one and publishes it; once published it never changes, so any thread may read it.
/// </summary>
internal sealed class StatsSnapshot(long[] values)
{
    /// <summary>The value of a supplied row that was not supplied (a single node has no cluster figures).</summary>
    public const long Absent = long.MinValue;

    private readonly long[] _values = values;

    public long this[int row] => _values[row];
}
