using System.Net.Sockets;

namespace ChatLoop.Load;

/// <summary>
/// The socket operations of one event loop that every part of it needs: write what a client has
/// queued, and close a client in one place (counting an early close as a failure unless expected).
/// </summary>
internal sealed class ClientIo
{
    private readonly LoopCounters _counters;
    private readonly ProblemLog _problems;
    public ClientIo(LoopCounters counters, ProblemLog problems)
    {
        _counters = counters;
        _problems = problems;
    }

    /// <summary>Called when a healthy client that had joined closes early, to stop expecting deliveries to it.</summary>
    public Action<SimClient>? OnLost { get; set; }

    /// <summary>Writes what the kernel takes; the rest stays queued and the loop asks for writability.</summary>
    public void Flush(SimClient c)
    {
        if (c.Socket is not { } socket || !c.HasPendingOut)
        {
            return;
        }

        int n = socket.Send(c.Out.AsSpan(c.OutStart, c.OutEnd - c.OutStart), SocketFlags.None, out var error);
        if (error == SocketError.Success)
        {
            _counters.BytesOut += n;
            c.OutStart += n;
            if (c.OutStart == c.OutEnd)
            {
                c.OutStart = c.OutEnd = 0;
            }
        }
        else if (error != SocketError.WouldBlock)
        {
            Close(c, $"send failed: {error}");
        }
    }

    /// <summary>Closes the client. A <paramref name="problem"/> marks an early close: counted, and logged in words.</summary>
    public void Close(SimClient c, string? problem)
    {
        if (c.State == ClientState.Closed)
        {
            return;
        }

        var was = c.State;
        c.State = ClientState.Closed;
        c.Socket?.Dispose();
        c.Socket = null;
        if (was is ClientState.Connecting or ClientState.Joining)
        {
            _counters.ConnectsResolved++;
        }

        if (problem is null || c.IsSlow)
        {
            return;
        }

        c.LostEarly = true;
        _counters.ClosedEarly++;
        _problems.Add($"c{c.Index} closed early: {problem}");
        if (was == ClientState.Joined)
        {
            OnLost?.Invoke(c);
        }
    }
}
