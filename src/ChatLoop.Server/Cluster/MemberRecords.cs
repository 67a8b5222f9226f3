using ChatLoop.Server.Rooms;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// The members a node holds, as Redis keeps them for a survivor to reap (<see cref="ClusterKeys.NodeMembers"/>:
/// JOIN_ID -> <c>name\nref,ref,...</c>). The one place that record is written and read.
/// </summary>
internal sealed class MemberRecords
{
    private readonly IDatabase _db;
    private readonly long _node;

    public MemberRecords(IDatabase db, long node)
    {
        _db = db;
        _node = node;
    }

    /// <summary>A member's record: its name and the refs of its rooms.</summary>
    public static RedisValue Format(string name, IEnumerable<long> refs) => name + "\n" + string.Join(',', refs);

    /// <summary>Reads a record written by <see cref="Format"/>.</summary>
    public static (string Name, long[] Refs) Parse(RedisValue record)
    {
        var text = (string)record!;
        int newline = text.IndexOf('\n');
        var refs = text[(newline + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
        return (text[..newline], Array.ConvertAll(refs, long.Parse));
    }

    /// <summary>Reactor thread: records which rooms a member of this node is in (none: the record goes). Fire and forget.</summary>
    public void Record(long joinId, string name, List<Room>? rooms)
    {
        if (rooms is null || rooms.Count == 0)
        {
            _db.HashDelete(ClusterKeys.NodeMembers(_node), joinId, CommandFlags.FireAndForget);
            return;
        }

        _db.HashSet(ClusterKeys.NodeMembers(_node), joinId, Format(name, rooms.Select(r => r.Ref)), flags: CommandFlags.FireAndForget);
    }
}
