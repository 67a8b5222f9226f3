using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ChatLoop.Protocol;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Connections;

/// <summary>
/// One client, owned by the reactor thread: its socket, protocol reader and outbound queue with the
/// transport's flags, the <see cref="Member"/> it is in the rooms, and what the reactor's owners keep for it
/// (<see cref="Flow"/>, <see cref="Input"/>, <see cref="LiveDeadlines"/>, each changed only by its owner).
/// Its own state changes only through its methods. Handlers append to it; only the reactor touches the socket.
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
        Input = new InputState(now);
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

    /// <summary>The <see cref="ConnectionQueue"/>s it is in, one bit each (each queue changes its own bit).</summary>
    public ConnectionQueues Queues { get; private set; }

    /// <summary>The last Send did not take everything: wait for the poller to report it writable.</summary>
    public bool WriteBlocked { get; private set; }

    /// <summary>When bytes were last sent to it.</summary>
    public long LastSendAt { get; private set; }

    /// <summary>The client has closed its sending side (EOF).</summary>
    public bool PeerClosed { get; private set; }

    public bool SendShutDown { get; private set; }

    /// <summary>When its close grace runs out (set when it is retired).</summary>
    public long DrainDeadline { get; private set; }

    /// <summary>Flow control's state for it: laggard, lag clock, probe.</summary>
    public FlowState Flow { get; } = new();

    /// <summary>Input scheduling's state for it: round-robin deficit, request clocks, message idle time.</summary>
    public InputState Input { get; }

    /// <summary>Its live entries in the reactor's <see cref="Reactor.Deadlines"/>, one per kind that keeps one.</summary>
    public LiveDeadlines LiveDeadlines { get; } = new();

    /// <summary>Its index in the reactor's list of connections (<see cref="ConnectionList"/> keeps it).</summary>
    public int Slot { get; private set; }

    /// <summary>The poller's handle for it (its slot in the poller's table, the poller keeps it); -1 while it is not watched.</summary>
    public int PollToken { get; private set; } = -1;

    /// <summary>The local address the client reached, for SERVER_IP and HELO.</summary>
    public string LocalIp => _localIp ??= LocalAddressOf(Socket);

    /// <summary>Joins the member to the room; a lagging one is counted in the room's laggards.</summary>
    public void AddRoom(Room room)
    {
        if (Flow.Lagging)
        {
            room.Laggards++;
        }

        Member.AddRoom(room);
    }

    public void RemoveRoom(Room room)
    {
        if (Member.RemoveRoom(room) && Flow.Lagging)
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

    /// <summary><see cref="ConnectionList"/> holds it at <paramref name="slot"/>.</summary>
    public void PlaceAt(int slot) => Slot = slot;

    /// <summary>The poller watches it under <paramref name="token"/>, or no longer watches it (-1).</summary>
    public void WatchedAs(int token) => PollToken = token;

    /// <summary>Joins a <see cref="ConnectionQueue"/>: its bit is set.</summary>
    public void EnterQueue(ConnectionQueues queue) => Queues |= queue;

    /// <summary>Leaves a <see cref="ConnectionQueue"/>: its bit is cleared.</summary>
    public void LeaveQueue(ConnectionQueues queue) => Queues &= ~queue;

    /// <summary>A Receive returned end of stream: the client will send nothing more.</summary>
    public void NotePeerClosed() => PeerClosed = true;

    /// <summary>The poller reported its socket writable.</summary>
    public void NoteWritable() => WriteBlocked = false;

    /// <summary>
    /// One Send of what is queued. On success the bytes taken leave the queue, <see cref="LastSendAt"/> becomes
    /// <paramref name="now"/>, and it is write-blocked when some are left; on WouldBlock it is write-blocked.
    /// </summary>
    public SocketError SendQueued(long now, out int sent)
    {
        sent = Socket.Send(Outbound.Array!, Outbound.Start, Outbound.Length, SocketFlags.None, out var error);
        if (error == SocketError.Success)
        {
            Outbound.Consume(sent);
            LastSendAt = now;
            WriteBlocked = !Outbound.IsEmpty;
        }
        else if (error == SocketError.WouldBlock)
        {
            WriteBlocked = true;
        }

        return error;
    }

    /// <summary>It is closed or its peer is gone: what is queued will never be sent.</summary>
    public void DropQueued()
    {
        Outbound.Clear();
        WriteBlocked = false;
    }

    /// <summary>Shuts its sending side (the client sees end of stream), once.</summary>
    public void ShutdownSend()
    {
        SendShutDown = true;
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>It was retired: its close grace runs out at <paramref name="deadline"/>.</summary>
    public void StartCloseGrace(long deadline) => DrainDeadline = deadline;

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
