using Prometheus;

namespace ChatLoop.Server.Metrics;

/// <summary>
/// The Prometheus side of <see cref="StatsTable"/>: one prometheus-net series per row, in a registry of its
/// own (several servers may share a process, as in the tests). Just before each scrape the series are set
/// from the snapshot the reactor last published; nothing here reads the reactor's live state.
/// </summary>
internal sealed class MetricsExporter
{
    private readonly Func<StatsSnapshot?> _snapshot;
    private readonly IMetricFactory _factory;
    private readonly object?[] _series = new object?[StatsTable.Rows.Count];

    public MetricsExporter(Func<StatsSnapshot?> snapshot)
    {
        _snapshot = snapshot;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        _factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        var rows = StatsTable.Rows;
        for (int i = 0; i < rows.Count; i++)
        {
            // Supplied rows (the cluster's) appear once supplied; the rest are there, at 0, from the start.
            if (rows[i].Metric is not null && rows[i].Read is not null)
            {
                _series[i] = Create(rows[i]);
            }
        }

        Registry.AddBeforeCollectCallback(Update);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Writes every series in the Prometheus text format.</summary>
    public Task WriteAsync(Stream to, CancellationToken cancel) => Registry.CollectAndExportAsTextAsync(to, cancel);

    private void Update()
    {
        if (_snapshot() is not { } snapshot)
        {
            return;
        }

        var rows = StatsTable.Rows;
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Metric is null || snapshot[i] == StatsSnapshot.Absent)
            {
                continue;
            }

            double value = snapshot[i] * row.MetricScale;
            switch (_series[i] ??= Create(row))
            {
                case ICounter counter: counter.IncTo(value); break;
                case IGauge gauge: gauge.Set(value); break;
            }
        }
    }

    private object Create(StatRow row)
    {
        string[] labels = row.Label is { } l ? [l.Name] : [];
        if (row.Kind == StatKind.Counter)
        {
            var family = _factory.CreateCounter(row.Metric!, row.Help, labels);
            return row.Label is { } label ? family.WithLabels(label.Value) : family;
        }

        var gauges = _factory.CreateGauge(row.Metric!, row.Help, labels);
        return row.Label is { } g ? gauges.WithLabels(g.Value) : gauges;
    }
}
