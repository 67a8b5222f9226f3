using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ChatLoop.Protocol;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Connections;

/// <summary>
/// One client, owned by the reactor thread: its socket, protocol reader and outbound queue, the flow and
/// deadline state the reactor keeps for it, and the <see cref="Member"/> it is in the rooms. Handlers
/// append to it; only the reactor touches the socket.
/// </summary>
internal sealed class Connection
{
    private readonly TickWork _work;
    private readonly int _maxOutboundBytes;
    private readonly int _backpressureBytes;

    /// <summary>The in-place append stops short of the backpressure mark, so crossing it takes the general path, which reports it.</summary>
    private readonly int _fastCap;
    private string? _localIp;

    public Connection(long id, Socket socket, EndPoint? remote, TickWork work, ReaderLimits limits, int maxOutboundBytes, int backpressureBytes, long now, ArrayPool<byte>? pool = null)
    {
        Id = id;
        Socket = socket;
        Remote = remote?.ToString() ?? "test";
        PeerIsLoopback = remote is IPEndPoint ip && IPAddress.IsLoopback(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address);
        _work = work;
        _maxOutboundBytes = maxOutboundBytes;
        _backpressureBytes = backpressureBytes;
        _fastCap = Math.Min(maxOutboundBytes, backpressureBytes - 1);
        pool ??= ArrayPool<byte>.Shared;
        Reader = new RequestReader(limits, pool);
        Outbound = new OutboundBuffer(pool);
        MessageIdleSince = now;
        LastRequestAt = now;
    }

    public long Id { get; }

    public Socket Socket { get; }

    public string Remote { get; }

    public bool PeerIsLoopback { get; }

    public RequestReader Reader { get; }

    public OutboundBuffer Outbound { get; }

    public ConnectionState State { get; private set; }

    public bool IsOpen => State == ConnectionState.Open;

    /// <summary>What it is as a chat member: name, JOIN_ID, rooms, cluster requests, leaving.</summary>
    public Member Member { get; } = new();

    public string CloseReason { get; private set; } = "";

    /// <summary>The peer is gone (EOF, reset): nothing left to flush, close at once.</summary>
    public bool CloseHard { get; private set; }

    /// <summary>Its last block (an ERROR) is queued: nothing more is queued after it.</summary>
    public bool Sealed { get; private set; }

    /// <summary>The <see cref="ConnectionQueue"/>s it is in, one bit each.</summary>
    public ConnectionQueues Queues { get; set; }

    /// <summary>The last Send did not take everything: wait for the poller to report it writable.</summary>
    public bool WriteBlocked { get; set; }

    /// <summary>
    /// It is behind on its queue (past the backpressure mark) and draining it (its socket took bytes lately):
    /// every room it is in counts it in <see cref="Room.Laggards"/>, and their senders wait for it.
    /// </summary>
    public bool Lagging { get; set; }

    /// <summary>When the bytes up to <see cref="LagMark"/> had all been queued, or 0 while nothing waits in its queue.</summary>
    public long LagSince { get; set; }

    /// <summary>How far (in bytes ever consumed from its queue) it must read before its lag clock restarts.</summary>
    public long LagMark { get; set; }

    /// <summary>When a member behind whose socket is not reported writable is next offered its bytes anyway.</summary>
    public long NextProbeAt { get; set; }

    /// <summary>Its deficit in the run queue's round robin: output bytes it may still cause in this turn.</summary>
    public long Deficit { get; set; }

    /// <summary>The message idle time has passed: its open CHAT body ends when it is next served.</summary>
    public bool MessageEndDue { get; set; }

    public bool SendShutDown { get; set; }

    /// <summary>The client has closed its sending side (EOF).</summary>
    public bool PeerClosed { get; set; }

    /// <summary>Its index in the reactor's list of connections.</summary>
    public int Slot { get; set; }

    /// <summary>The poller's handle for it (its slot in the poller's table); -1 while it is not watched.</summary>
    public int PollToken { get; set; } = -1;

    /// <summary>When the server last used up its input with a CHAT body open: the message idle time counts from here.</summary>
    public long MessageIdleSince { get; set; }

    /// <summary>When bytes were last sent to it.</summary>
    public long LastSendAt { get; set; }

    /// <summary>When its last complete request arrived (or when it connected).</summary>
    public long LastRequestAt { get; set; }

    /// <summary>When the request now under way began, or 0.</summary>
    public long UnfinishedSince { get; set; }

    public long DrainDeadline { get; set; }

    /// <summary>When its entry for <see cref="Reactor.DeadlineKind.Timeouts"/> falls due, or 0 while it has none.</summary>
    public long TimeoutsDueAt { get; set; }

    /// <summary>When its entry for <see cref="Reactor.DeadlineKind.MessageIdle"/> falls due, or 0 while it has none.</summary>
    public long MessageIdleDueAt { get; set; }

    /// <summary>The local address the client reached, for SERVER_IP and HELO.</summary>
    public string LocalIp => _localIp ??= LocalAddressOf(Socket);

    /// <summary>Joins the member to the room; a lagging one is counted in the room's laggards.</summary>
    public void AddRoom(Room room)
    {
        if (Lagging)
        {
            room.Laggards++;
        }

        Member.AddRoom(room);
    }

    public void RemoveRoom(Room room)
    {
        if (Member.RemoveRoom(room) && Lagging)
        {
            room.Laggards--;
        }
    }

    /// <summary>Queues a block on an open client whose queue is already waiting to be flushed; false means: use <see cref="Enqueue"/>.</summary>
    public bool TryEnqueueFast(ReadOnlySpan<byte> block) =>
        State == ConnectionState.Open && Outbound.TryAppendInPlace(block, _fastCap);

    /// <summary>Queues a block. False when it would pass the outbound cap: the client is too slow.</summary>
    public bool Enqueue(ReadOnlySpan<byte> block)
    {
        // A closing client still gets the "has left" notices of its own leaving, until it is retired;
        // one closed for an error gets nothing after its ERROR block (PROTOCOL.md §2.7).
        if (State == ConnectionState.Closed || Member.Retired || CloseHard || Sealed)
        {
            return true;
        }

        int before = Outbound.Length;
        if (before + block.Length > _maxOutboundBytes)
        {
            return false;
        }

        Append(block);
        if (before < _backpressureBytes && Outbound.Length >= _backpressureBytes && State == ConnectionState.Open)
        {
            _work.Behind.Enqueue(this);
        }

        return true;
    }

    /// <summary>Queues a last block (an ERROR before closing) regardless of the cap: it is small and bounded. Nothing follows it.</summary>
    public void EnqueueFinal(ReadOnlySpan<byte> block)
    {
        if (State == ConnectionState.Open)
        {
            Append(block);
            Sealed = true;
        }
    }

    /// <summary>Marks the connection for closing at the end of the tick; the first reason given is kept.</summary>
    public void MarkClosing(string reason, bool hard)
    {
        if (State != ConnectionState.Open)
        {
            CloseHard |= hard;
            return;
        }

        State = ConnectionState.Draining;
        CloseReason = reason;
        CloseHard = hard;
        _work.Closing.Enqueue(this);
    }

    public void MarkClosed() => State = ConnectionState.Closed;

    private void Append(ReadOnlySpan<byte> block)
    {
        Outbound.Append(block);
        _work.Dirty.Enqueue(this);
    }

    private static string LocalAddressOf(Socket socket)
    {
        try
        {
            if (socket.LocalEndPoint is IPEndPoint local)
            {
                var address = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
                return address.ToString();
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }

        return "127.0.0.1";
    }
}
