using System.Collections.Concurrent;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// What the backplane's threads hand to the reactor, bounded by bytes. An item is a whole batch from one
/// node (up to a MiB of pieces) or a control item, so an item count bounds nothing: the
/// bytes waiting are capped. An item past the cap is dropped and the overflow is reported once, to be
/// treated as a gap (the clients it may affect get ERROR 12 and are closed), never delivered around.
/// </summary>
internal sealed class ClusterInbox
{
    /// <summary>
    /// 64 MiB waiting for the reactor at most: dozens of maximal batches, seconds of a busy cluster's
    /// traffic, so only a reactor that has stopped keeping up reaches it.
    /// </summary>
    public const long DefaultByteLimit = 64L << 20;

    /// <summary>What an item costs beyond its payload (the item and the queue's slot), so control items count too.</summary>
    public const int ItemOverhead = 64;

    private readonly ConcurrentQueue<ClusterInbound> _queue = new();
    private readonly long _byteLimit;
    private readonly Action _wake;
    private long _bytes;
    private int _wakePending;
    private int _overflowed;

    public ClusterInbox(long byteLimit, Action wake)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(byteLimit, ItemOverhead);
        _byteLimit = byteLimit;
        _wake = wake;
    }

    /// <summary>Bytes waiting now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Any thread: queues one item unless the cap is reached (then it is dropped); wakes the reactor once per batch.</summary>
    public void Post(ClusterInbound item)
    {
        long size = Size(item);
        if (Interlocked.Add(ref _bytes, size) > _byteLimit)
        {
            Interlocked.Add(ref _bytes, -size);
            Volatile.Write(ref _overflowed, 1);
        }
        else
        {
            _queue.Enqueue(item);
        }

        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            _wake();
        }
    }

    /// <summary>Reactor thread, before taking items: true once after items were dropped.</summary>
    public bool TakeOverflow()
    {
        Volatile.Write(ref _wakePending, 0);
        return Interlocked.Exchange(ref _overflowed, 0) == 1;
    }

    public bool TryTake(out ClusterInbound item)
    {
        if (!_queue.TryDequeue(out item!))
        {
            return false;
        }

        Interlocked.Add(ref _bytes, -Size(item));
        return true;
    }

    private static long Size(ClusterInbound item) => ItemOverhead + item.PayloadBytes;
}
