using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Sequencing;

/// <summary>
/// Orders room events. On one node it applies each at once; in a cluster every node applies them in
/// the order the backplane gives them back (CLUSTER.md). Called on the reactor thread only.
/// </summary>
internal interface ISequencer
{
    /// <summary>True when a submitted event has been applied by the time Submit returns.</summary>
    bool AppliesAtOnce { get; }

    /// <summary>Null when events can be sequenced now; otherwise why not (ERROR 12).</summary>
    string? Unavailable { get; }

    /// <summary>
    /// A JOIN that local state allows: gives the connection its name and JOIN_ID if it has none, the room
    /// its ref if it is new, and sequences the join. <paramref name="room"/> is the room if known here.
    /// </summary>
    void Join(Connection c, string roomName, string clientName, Room? room);

    /// <summary>Sequences a leave, chat or gone event.</summary>
    void Submit(in RoomEvent e);

    /// <summary>The handler has submitted a closing connection's leaving; a cluster finishes its retiring once that is applied.</summary>
    void Retiring(Connection c);

    /// <summary>Cluster STATS state, <c>up</c> or <c>down</c>; null on a single node.</summary>
    string? State { get; }
}
