using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Sequencing;

/// <summary>
/// Where a connection's JOIN_ID comes from at its first JOIN: the next id of a block. One node's block is
/// endless (1, 2, 3...); a cluster node's are blocks of ids Redis handed it (CLUSTER.md: unique across
/// nodes), refilled as a JOIN's answer brings a new one. Reactor thread only.
/// </summary>
internal sealed class JoinIdBlock
{
    private long _next = 1;
    private long _end;

    private JoinIdBlock(long end) => _end = end;

    /// <summary>The last id of the current block; 0 before the first.</summary>
    public long End => _end;

    /// <summary>A single node's: every id from 1 on.</summary>
    public static JoinIdBlock Endless() => new(long.MaxValue);

    /// <summary>A cluster node's: none until <see cref="Refill"/>.</summary>
    public static JoinIdBlock Empty() => new(0);

    /// <summary>The connection's JOIN_ID if it has one, else the block's next; 0 when the block is used up.</summary>
    public long TakeFor(Connection c)
    {
        if (c.Member.JoinId != 0)
        {
            return c.Member.JoinId;
        }

        return _next <= _end ? _next++ : 0;
    }

    /// <summary>A new block: ids <paramref name="next"/> to <paramref name="end"/> are this node's to hand out.</summary>
    public void Refill(long next, long end)
    {
        _next = next;
        _end = end;
    }
}
