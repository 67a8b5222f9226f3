using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// What the backplane's threads hand to the reactor: one item of its inbox, one type per kind, each
/// holding only what its kind needs (<see cref="ClusterSequencer"/> switches on the type).
/// </summary>
internal abstract record ClusterInbound
{
    private ClusterInbound()
    {
    }

    /// <summary>Bytes the item holds beyond itself: what the inbox's byte cap counts besides its fixed overhead.</summary>
    public virtual int PayloadBytes => 0;

    /// <summary>An inbox message, as Redis delivered it: the events of one publishing node's batch (<see cref="EventCodec"/>).</summary>
    public sealed record Event(byte[] Payload) : ClusterInbound
    {
        public override int PayloadBytes => Payload.Length;
    }

    /// <summary>What Redis settled for a JOIN (name lease, JOIN_ID, room ref): the join can go out in a batch.</summary>
    public sealed record JoinReady(Connection Connection, JoinAnswer Answer) : ClusterInbound;

    /// <summary>Redis refused a JOIN before it became an event (name in use, or Redis unavailable).</summary>
    public sealed record Refused(Connection Connection, ErrorCode Code, string Why) : ClusterInbound;

    /// <summary>The backplane did not take an event (unreachable, or its deadline passed): it was not carried out.</summary>
    public sealed record Failed(Connection Connection, RoomEventKind Kind, Room Room, string Why) : ClusterInbound;

    /// <summary>Redis found the membership change already made (a repeated join or leave): nothing was published.</summary>
    public sealed record Duplicate(Connection Connection, RoomEventKind Kind, Room Room) : ClusterInbound;

    /// <summary>The batch script refused a chat: its JOIN_ID is not in the room's member set (it has left, or was reaped).</summary>
    public sealed record NotMember(Connection Connection, Room Room) : ClusterInbound;

    /// <summary>Redis lost its data: the reactor hands over what this node holds, to register again.</summary>
    public sealed record Reregister : ClusterInbound;

    /// <summary>Registering again is done: sequence numbers start afresh.</summary>
    public sealed record Registered : ClusterInbound;

    /// <summary>Survivors reaped this node while it was frozen.</summary>
    public sealed record Reaped : ClusterInbound;

    /// <summary>StackExchange.Redis restored the subscription: events published meanwhile were lost.</summary>
    public sealed record Resubscribed : ClusterInbound;

    /// <summary>Rooms' sequence numbers as Redis had them just after the subscription came back.</summary>
    public sealed record SequencesRead(SequenceReading Reading) : ClusterInbound;
}
