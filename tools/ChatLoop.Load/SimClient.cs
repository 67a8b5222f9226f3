using System.Net.Sockets;

namespace ChatLoop.Load;

/// <summary>
/// One simulated client: its socket, its buffers and what it has sent and seen. Plain fields on
/// purpose: only the event loop that owns the client's room touches them, on the hot path.
/// </summary>
internal sealed class SimClient
{
    public SimClient(int index, int room, int local, bool slow, int witness, byte[] name)
    {
        Index = index;
        Room = room;
        Local = local;
        IsSlow = slow;
        Witness = witness;
        Name = name;
    }

    public int Index { get; }

    public int Room { get; }

    /// <summary>The member number inside the room (see <see cref="Population"/>).</summary>
    public int Local { get; }

    public bool IsSlow { get; }

    /// <summary>The client whose receipt of this client's messages opens its window.</summary>
    public int Witness { get; }

    public byte[] Name { get; }

    /// <summary>The server it connects to: an index into <see cref="LoadSettings.Servers"/>.</summary>
    public int Node { get; init; }

    public Socket? Socket;
    public ClientState State;

    public byte[] RoomRef = [];

    /// <summary>The CHAT request up to and including <c>MESSAGE: </c>, built once the JOIN is answered.</summary>
    public byte[] ChatPrefix = [];

    public byte[] Out = [];
    public int OutStart;
    public int OutEnd;

    /// <summary>The incomplete block left over from the last receive.</summary>
    public byte[] Carry = [];
    public int CarryLength;

    public int Sent;

    /// <summary>Messages of this client its witness has received (the window's acknowledgement).</summary>
    public int WitnessAcked;

    /// <summary>Messages of this client it has received back itself.</summary>
    public int SelfAcked;

    /// <summary>Set by JOINED_CHATROOM: the next block must be the notice of this client's own join.</summary>
    public bool AwaitingOwnNotice;

    public long ConnectTicks;
    public long JoinedTicks;

    /// <summary>A slow member: the ERROR code the server sent it, read when it is drained at the end.</summary>
    public int ErrorCode;

    /// <summary>The server ended the connection (EOF or reset) while the tool still had it open.</summary>
    public bool ServerClosed;

    /// <summary>Closed before the end of the run for a reason that counts against a healthy client.</summary>
    public bool LostEarly;

    public bool HasPendingOut => OutEnd > OutStart;
}
