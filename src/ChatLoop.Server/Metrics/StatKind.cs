namespace ChatLoop.Server.Metrics;

/// <summary>How a figure behaves over time, as Prometheus types it.</summary>
internal enum StatKind
{
    /// <summary>Only ever goes up while the server runs (a <c>_total</c> series).</summary>
    Counter,

    /// <summary>A value now, up or down.</summary>
    Gauge,
}
