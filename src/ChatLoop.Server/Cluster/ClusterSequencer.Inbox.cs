namespace ChatLoop.Server.Cluster;

/// <summary>Reading what Redis routed to this node: one message per publishing node per batch.</summary>
internal sealed partial class ClusterSequencer
{
    /// <summary>One inbox message: a publishing node's batch, the events of rooms this node follows, applied in order.</summary>
    private void ApplyBatch(byte[] message)
    {
        if (!EventCodec.TryReadHeader(message, out long publisher, out var rest))
        {
            Log.Error("Cluster: an inbox message without a header ({Length} bytes); treated as lost events", message.Length);
            LostEvents(null);
            return;
        }

        while (!rest.IsEmpty)
        {
            if (!EventCodec.TryReadEvent(ref rest, out var e))
            {
                // What it held is unknown: every local client may have missed an event.
                Log.Error("Cluster: a batch from node {Node} does not decode ({Left} of {Length} bytes left); treated as lost events", publisher, rest.Length, message.Length);
                LostEvents(null);
                return;
            }

            Apply(e);
        }
    }
}
