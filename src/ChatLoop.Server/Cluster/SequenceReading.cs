namespace ChatLoop.Server.Cluster;

/// <summary>
/// Rooms' sequence numbers as Redis had them just after the subscription came back, and how many times the
/// node had registered again when the check began (a restart since voids it).
/// </summary>
internal sealed record SequenceReading(long[] Refs, long[] Seqs, long Registrations);
