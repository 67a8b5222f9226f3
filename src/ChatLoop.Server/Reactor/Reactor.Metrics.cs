using ChatLoop.Server.Metrics;

namespace ChatLoop.Server.Reactor;

/// <summary>The reactor's one hand-off to the metrics endpoint: a snapshot of the figures, swapped in whole.</summary>
internal sealed partial class Reactor
{
    /// <summary>
    /// How often the figures are published. Prometheus scrapes every 15 s or so; once a second keeps a
    /// scrape fresh and costs one small array a second, not one a tick.
    /// </summary>
    private static readonly TimeSpan StatsPublishInterval = TimeSpan.FromSeconds(1);

    private StatsSnapshot? _published;
    private long _nextPublish;

    /// <summary>Any thread: the figures as last published (null before the first tick, or with metrics off).</summary>
    public StatsSnapshot? PublishedStats => Volatile.Read(ref _published);

    /// <summary>With metrics on, once a second: a new snapshot replaces the old one in one reference write.</summary>
    private void PublishStats()
    {
        if (_settings.MetricsPort is null)
        {
            return;
        }

        long now = Now;
        if (now < _nextPublish)
        {
            return;
        }

        _nextPublish = now + ToTicks(StatsPublishInterval);
        long queued = 0;
        foreach (var c in _connections)
        {
            queued += c.Outbound.Length;
        }

        Volatile.Write(ref _published, _stats.Snapshot(_handler.Rooms.Count, queued));
    }
}
