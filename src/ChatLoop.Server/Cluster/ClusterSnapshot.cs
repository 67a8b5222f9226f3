namespace ChatLoop.Server.Cluster;

/// <summary>What a node holds, copied by the reactor for registering again after Redis lost its data.</summary>
internal sealed record ClusterSnapshot(
    List<(string Name, long Ref)> Rooms,
    List<ClusterMember> Members,
    long NextRoomRef,
    long JoinIdBlockEnd,
    List<(long Ref, long Seq)> Seqs);
