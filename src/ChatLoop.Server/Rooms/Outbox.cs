using System.Buffers;
using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Reactor;
using NLog;

namespace ChatLoop.Server.Rooms;

/// <summary>
/// The one place blocks are queued on connections: replies, errors and broadcasts. A broadcast is encoded
/// once and the same bytes are appended to every member; members already queued take an in-place append.
/// </summary>
internal sealed class Outbox
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ServerSettings _settings;
    private readonly ServerStats _stats;
    private readonly TickWork _work;
    private readonly ArrayBufferWriter<byte> _block = new(4096);
    private readonly ArrayBufferWriter<byte> _reply = new(1024);

    public Outbox(ServerSettings settings, ServerStats stats, TickWork work)
    {
        _settings = settings;
        _stats = stats;
        _work = work;
    }

    /// <summary>The reply buffer, emptied: encode one reply into it, then <see cref="SendReply"/>.</summary>
    public ArrayBufferWriter<byte> NewReply()
    {
        _reply.ResetWrittenCount();
        return _reply;
    }

    /// <summary>The broadcast buffer, emptied: encode one block into it, then <see cref="Broadcast"/> or <see cref="SendBlock"/>.</summary>
    public ArrayBufferWriter<byte> NewBlock()
    {
        _block.ResetWrittenCount();
        return _block;
    }

    public void SendReply(Connection c) => Deliver(c, _reply.WrittenSpan);

    public void SendBlock(Connection c) => Deliver(c, _block.WrittenSpan);

    /// <summary>The block just encoded, to every member of the room.</summary>
    public void Broadcast(Room room)
    {
        var block = _block.WrittenSpan;
        var members = room.Members;
        int count = members.Count;
        for (int i = 0; i < count; i++)
        {
            var member = members[i];
            if (!member.TryEnqueueFast(block))
            {
                DeliverSlow(member, block);
            }
        }

        _stats.DeliveriesOut += count;
        _stats.BlocksOut += count;
        _work.BytesQueued += (long)block.Length * count;
    }

    /// <summary>An ERROR block; the connection stays open.</summary>
    public void Error(Connection c, ErrorCode code, string description)
    {
        Log.Info("Connection {Id} from {Remote}: ERROR {Code} {Description}", c.Id, c.Remote, (int)code, description);
        _stats.CountError(code);
        ServerBlocks.Error(NewReply(), code, description);
        SendReply(c);
    }

    /// <summary>Sends an ERROR, then closes the connection (codes 3, 9, 10, 11).</summary>
    public void Fail(Connection c, ErrorCode code, string description)
    {
        if (!c.IsOpen)
        {
            return;
        }

        _reply.ResetWrittenCount();
        ServerBlocks.Error(_reply, code, description);
        c.EnqueueFinal(_reply.WrittenSpan);
        _stats.CountFatalError(code);
        _stats.BlocksOut++;
        Log.Info("Connection {Id} from {Remote}: ERROR {Code} {Description}; closing", c.Id, c.Remote, (int)code, description);
        c.MarkClosing($"error {(int)code}: {description}", hard: false);
    }

    private void Deliver(Connection c, ReadOnlySpan<byte> block)
    {
        _stats.BlocksOut++;
        DeliverSlow(c, block);
    }

    private void DeliverSlow(Connection c, ReadOnlySpan<byte> block)
    {
        if (!c.Enqueue(block))
        {
            Fail(c, ErrorCode.TooSlow, $"too slow: more than {_settings.MaxOutboundBytes} bytes queued for this client");
        }
    }
}
