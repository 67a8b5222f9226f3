using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Metrics;

/// <summary>
/// The reactor's one hand-off to the metrics endpoint: with metrics on, once a second, a new snapshot of the
/// figures replaces the old one in one reference write, for any thread to read.
/// </summary>
internal sealed class StatsPublisher
{
    /// <summary>
    /// How often the figures are published. Prometheus scrapes every 15 s or so; once a second keeps a
    /// scrape fresh and costs one small array a second, not one a tick.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ServerStats _stats;
    private readonly long _intervalTicks;
    private StatsSnapshot? _published;

    /// <param name="intervalTicks"><see cref="Interval"/> in the reactor clock's units.</param>
    public StatsPublisher(ServerStats stats, long intervalTicks)
    {
        _stats = stats;
        _intervalTicks = intervalTicks;
    }

    /// <summary>Any thread: the figures as last published (null before the first).</summary>
    public StatsSnapshot? Published => Volatile.Read(ref _published);

    /// <summary>When the next snapshot is due.</summary>
    public long NextAt { get; private set; }

    /// <summary>Reactor thread: publishes if a snapshot is due.</summary>
    public void PublishIfDue(long now, int rooms, ConnectionList connections)
    {
        if (now < NextAt)
        {
            return;
        }

        NextAt = now + _intervalTicks;
        long queued = 0;
        foreach (var c in connections)
        {
            queued += c.Outbound.Length;
        }

        Volatile.Write(ref _published, _stats.Snapshot(rooms, queued));
    }
}
