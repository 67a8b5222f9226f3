using ChatLoop.Server.Connections;

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
    /// Sequences a join, leave, chat or gone event. A JOIN (<see cref="RoomEvent.Join"/>) is settled first: the
    /// room found or made (its ref), and at the connection's first JOIN its name and a JOIN_ID bound
    /// (<see cref="NameTable.Bind"/>, the ids from a <see cref="JoinIdBlock"/>); a cluster settles them with
    /// Redis, so its JOIN is answered in a later tick.
    /// </summary>
    void Submit(in RoomEvent e);

    /// <summary>The handler has submitted a closing connection's leaving; a cluster finishes its retiring once that is applied.</summary>
    void Retiring(Connection c);

    /// <summary>Cluster STATS state, <c>up</c> or <c>down</c>; null on a single node.</summary>
    string? State { get; }
}
