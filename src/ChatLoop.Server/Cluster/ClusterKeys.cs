using System.Collections.Concurrent;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The cluster's Redis keys. A room's keys and channel share the hash tag <c>{room:REF}</c>, so the
/// layout can move to Redis Cluster's sharded pub/sub; the rest are few and small.
/// </summary>
internal static class ClusterKeys
{
    /// <summary>Set once by the first node; gone when Redis restarted without its data.</summary>
    public const string Epoch = "chatloop:epoch";

    /// <summary>Registered node ids, for the liveness checks.</summary>
    public const string Nodes = "chatloop:nodes";

    public const string JoinIds = "chatloop:joinids";

    /// <summary>The ids of the nodes registered (again, or first) on Redis of this replication id.</summary>
    public static RedisKey RegisteredOn(string replid) => $"chatloop:registered-on:{replid}";

    /// <summary>Room name -> ref.</summary>
    public const string Rooms = "chatloop:rooms";

    /// <summary>The next ROOM_REF.</summary>
    public const string RoomRefs = "chatloop:roomrefs";

    /// <summary>
    /// A node's one subscription: the events of the rooms it has members in, one message per publishing
    /// node per batch, in Redis's one order (so DISCONNECT's notices keep their ref order across rooms).
    /// </summary>
    public static RedisChannel Inbox(long node) => RedisChannel.Literal($"chatloop:inbox:{node}");

    public static RedisKey Node(long id) => $"chatloop:node:{id}";

    /// <summary>
    /// Set (to the node's epoch) when a node registers, never expires: gone, or holding another epoch,
    /// means Redis lost its data and the node must register again.
    /// </summary>
    public static RedisKey Registered(long id) => $"chatloop:node:{id}:registered";

    /// <summary>The members a node holds: JOIN_ID -> "name\nref,ref,...".</summary>
    public static RedisKey NodeMembers(long id) => $"chatloop:node:{id}:members";

    /// <summary>The name keys a node's incarnation holds (leases a reaper frees).</summary>
    public static RedisKey NodeNames(long id) => $"chatloop:node:{id}:names";

    /// <summary>Taken (SET NX) by the one survivor that reaps a dead node.</summary>
    public static RedisKey Reap(long id) => $"chatloop:reap:{id}";

    /// <summary>A reaped node's members, moved here by the reaper as it fences the node; what is left to reap.</summary>
    public static RedisKey ReapMembers(long id) => $"chatloop:reap:{id}:members";

    /// <summary>A reaped node's names, moved here with its members.</summary>
    public static RedisKey ReapNames(long id) => $"chatloop:reap:{id}:names";

    /// <summary>
    /// A client name, held by the node of its connection; compared without regard to case. Upper case, as
    /// OrdinalIgnoreCase (each node's own name table) compares: lower case would take the Kelvin sign for a k.
    /// </summary>
    public static RedisKey Name(string name) => "chatloop:name:" + name.ToUpperInvariant();

    /// <summary>Rooms whose keys were made (any thread); cleared when it grows past this many, so it stays bounded.</summary>
    private const int RoomKeysCached = 1 << 16;

    private static readonly ConcurrentDictionary<long, RoomKeys> RoomKeysByRef = new();

    /// <summary>A room's keys for the batch script, made once per room rather than once per batch.</summary>
    public static RoomKeys Room(long roomRef)
    {
        if (RoomKeysByRef.TryGetValue(roomRef, out var keys))
        {
            return keys;
        }

        if (RoomKeysByRef.Count >= RoomKeysCached)
        {
            RoomKeysByRef.Clear();
        }

        keys = new RoomKeys(RoomMembers(roomRef), RoomNodes(roomRef), RoomSeq(roomRef));
        RoomKeysByRef[roomRef] = keys;
        return keys;
    }

    public static RedisKey RoomSeq(long roomRef) => $"{{room:{roomRef}}}:seq";

    public static RedisKey RoomMembers(long roomRef) => $"{{room:{roomRef}}}:members";

    /// <summary>The nodes that follow a room: node id -> how many of its members are on that node (kept by the batch script).</summary>
    public static RedisKey RoomNodes(long roomRef) => $"{{room:{roomRef}}}:nodes";
}
