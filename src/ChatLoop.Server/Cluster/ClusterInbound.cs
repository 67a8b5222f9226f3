using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;

namespace ChatLoop.Server.Cluster;

/// <summary>What the backplane's threads hand to the reactor: one item of its inbox.</summary>
internal sealed class ClusterInbound
{
    private ClusterInbound(InboundKind kind) => Kind = kind;

    public InboundKind Kind { get; }

    /// <summary>An inbox message, as Redis delivered it: the events of one publishing node's batch (<see cref="EventCodec"/>).</summary>
    public byte[]? Payload { get; private init; }

    public Connection? Connection { get; private init; }

    public RoomEventKind EventKind { get; private init; }

    public Room? Room { get; private init; }

    /// <summary>JoinReady: what Redis settled.</summary>
    public JoinAnswer? Join { get; private init; }

    public ErrorCode Code { get; private init; }

    public string? Why { get; private init; }

    public static ClusterInbound Event(byte[] payload) => new(InboundKind.Event) { Payload = payload };

    public static ClusterInbound JoinReady(Connection c, JoinAnswer answer) =>
        new(InboundKind.JoinReady) { Connection = c, Join = answer };

    public static ClusterInbound Refused(Connection c, ErrorCode code, string why) =>
        new(InboundKind.Refused) { Connection = c, Code = code, Why = why };

    /// <summary>The backplane did not take an event (unreachable, or its deadline passed): it was not carried out.</summary>
    public static ClusterInbound Failed(Connection c, RoomEventKind kind, Room room, string why) =>
        new(InboundKind.Failed) { Connection = c, EventKind = kind, Room = room, Why = why };

    /// <summary>Redis found the membership change already made (a repeated join or leave): nothing was published.</summary>
    public static ClusterInbound Duplicate(Connection c, RoomEventKind kind, Room room) =>
        new(InboundKind.Duplicate) { Connection = c, EventKind = kind, Room = room };

    /// <summary>The batch script refused a chat: its JOIN_ID is not in the room's member set (it has left, or was reaped).</summary>
    public static ClusterInbound NotMember(Connection c, Room room) =>
        new(InboundKind.NotMember) { Connection = c, EventKind = RoomEventKind.Chat, Room = room };

    /// <summary>Redis lost its data: the reactor hands over what this node holds, to register again.</summary>
    public static ClusterInbound Reregister() => new(InboundKind.Reregister);

    /// <summary>Survivors reaped this node while it was frozen.</summary>
    public static ClusterInbound Reaped() => new(InboundKind.Reaped);

    /// <summary>StackExchange.Redis restored the subscription: events published meanwhile were lost.</summary>
    public static ClusterInbound Resubscribed() => new(InboundKind.Resubscribed);

    /// <summary>Rooms' sequence numbers as Redis had them just after the subscription came back.</summary>
    public static ClusterInbound SequencesRead(SequenceReading reading) =>
        new(InboundKind.SequencesRead) { Sequences = reading };

    /// <summary>SequencesRead: the rooms' numbers in Redis.</summary>
    public SequenceReading? Sequences { get; private init; }

    /// <summary>Registering again is done: sequence numbers start afresh.</summary>
    public static ClusterInbound Registered() => new(InboundKind.Registered);
}
