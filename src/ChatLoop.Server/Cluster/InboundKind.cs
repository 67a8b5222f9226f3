namespace ChatLoop.Server.Cluster;

/// <summary>The kinds of <see cref="ClusterInbound"/>.</summary>
internal enum InboundKind
{
    Event,
    JoinReady,
    Refused,
    Failed,
    Duplicate,
    NotMember,
    Reregister,
    Registered,
    Reaped,
    Resubscribed,
    SequencesRead,
}
