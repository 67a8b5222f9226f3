namespace ChatLoop.Load;

internal enum DeliveryResult
{
    /// <summary>The next message expected from that sender.</summary>
    InOrder,

    /// <summary>A later message than expected: the ones skipped are missing until they turn up.</summary>
    Ahead,

    /// <summary>A message that had been skipped, arriving after a later one: out of order.</summary>
    Late,

    /// <summary>A message this receiver already had.</summary>
    Duplicate,
}
