using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Cluster;

/// <summary>What a node holds, copied by the reactor for registering again after Redis lost its data.</summary>
internal sealed record ClusterSnapshot(
    List<(string Name, long Ref)> Rooms,
    List<ClusterMember> Members,
    long NextRoomRef,
    long JoinIdBlockEnd,
    List<(long Ref, long Seq)> Seqs)
{
    /// <summary>Reactor thread: the rooms, the members with rooms, the JOIN_IDs handed out and the rooms' numbers.</summary>
    public static ClusterSnapshot Take(RoomTable rooms, IReadOnlyDictionary<long, Connection> members, long joinIdBlockEnd, List<(long Ref, long Seq)> seqs)
    {
        var named = new List<(string, long)>();
        long nextRef = 0;
        foreach (var room in rooms.All)
        {
            named.Add((room.Name, room.Ref));
            nextRef = Math.Max(nextRef, room.Ref + 1);
        }

        var held = new List<ClusterMember>();
        foreach (var c in members.Values)
        {
            if (c.Member.Name is { } name && c.Member.Rooms is { Count: > 0 } joined)
            {
                held.Add(new ClusterMember(c.Member.JoinId, name, joined.Select(r => r.Ref).ToArray()));
            }
        }

        long joinIdEnd = Math.Max(joinIdBlockEnd, members.Keys.DefaultIfEmpty().Max());
        return new ClusterSnapshot(named, held, nextRef, joinIdEnd, seqs);
    }
}
