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

    /// <summary>The listening port, for JOINED_CHATROOM's PORT (known once bound).</summary>
    public int Port { get; set; }

    /// <summary>The reply buffer, emptied: encode one block into it, then <see cref="Send"/>.</summary>
    public ArrayBufferWriter<byte> NewReply()
    {
        _reply.ResetWrittenCount();
        return _reply;
    }

    /// <summary>The broadcast buffer, emptied: encode one block into it, then <see cref="Broadcast"/>.</summary>
    public ArrayBufferWriter<byte> NewBlock()
    {
        _block.ResetWrittenCount();
        return _block;
    }

    /// <summary>The reply just encoded, to one connection: the one way a block reaches a single client.</summary>
    public void Send(Connection c)
    {
        _stats.BlocksOut++;
        DeliverSlow(c, _reply.WrittenSpan);
    }

    /// <summary>JOINED_CHATROOM for a room the connection is now a member of.</summary>
    public void Joined(Connection c, Room room)
    {
        ServerBlocks.Joined(NewReply(), room.Name, c.LocalIp, Port, room.Ref, c.Member.JoinId);
        Send(c);
    }

    /// <summary>A JOIN of a room the connection is already in: JOINED_CHATROOM and the join notice, to the joiner only (PROTOCOL.md §2.1).</summary>
    public void AlreadyMember(Connection c, Room room)
    {
        Joined(c, room);
        ServerBlocks.JoinNotice(NewReply(), room.Ref, c.Member.NameUtf8);
        Send(c);
    }

    /// <summary>LEFT_CHATROOM: the reply to a LEAVE, whether or not it changed a room (PROTOCOL.md §2.2).</summary>
    public void Left(Connection c, long roomRef, long joinId)
    {
        ServerBlocks.Left(NewReply(), roomRef, joinId);
        Send(c);
    }

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
    public void Error(Connection c, ErrorCode code, string description) => WriteError(c, code, description, close: false);

    /// <summary>Sends an ERROR, then closes the connection (codes 3, 9, 10, 11).</summary>
    public void Fail(Connection c, ErrorCode code, string description) => WriteError(c, code, description, close: true);

    /// <summary>
    /// A closing ERROR skips the outbound bound (it is the last block the client gets, and may be the
    /// reply to that very bound being passed) and is counted as fatal.
    /// </summary>
    private void WriteError(Connection c, ErrorCode code, string description, bool close)
    {
        if (close && !c.IsOpen)
        {
            return;
        }

        Log.Info(close ? "Connection {Id} from {Remote}: ERROR {Code} {Description}; closing" : "Connection {Id} from {Remote}: ERROR {Code} {Description}", c.Id, c.Remote, (int)code, description);
        ServerBlocks.Error(NewReply(), code, description);
        if (!close)
        {
            _stats.CountError(code);
            Send(c);
            return;
        }

        c.EnqueueFinal(_reply.WrittenSpan);
        _stats.CountFatalError(code);
        _stats.BlocksOut++;
        c.MarkClosing($"error {(int)code}: {description}", hard: false);
    }

    private void DeliverSlow(Connection c, ReadOnlySpan<byte> block)
    {
        if (!c.Enqueue(block))
        {
            Fail(c, ErrorCode.TooSlow, $"too slow: more than {_settings.MaxOutboundBytes} bytes queued for this client");
        }
    }
}
