namespace ChatLoop.Server.Cluster;

/// <summary>A member this node holds, as registered in Redis.</summary>
internal sealed record ClusterMember(long JoinId, string Name, long[] Refs);
