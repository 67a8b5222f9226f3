using System.Net.Sockets;
using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// The message idle time (PROTOCOL.md §1, §2.3): a connection whose reader has something the silence
/// would end (a line begun and not ended, an open CHAT body) is watched, and once no byte has come
/// from it for that long, it joins the run queue to have its reader told so and what that completes
/// served (<see cref="NextRequest"/>), in its turn like any other input.
/// </summary>
internal sealed partial class Reactor
{
    private void EndSilentInput(long now)
    {
        for (int n = _idleWatch.Count; n > 0 && _idleWatch.TryDequeue(out var c); n--)
        {
            if (!c.IsOpen || !c.Reader.IsAwaitingMessageEnd)
            {
                continue;
            }

            // Input waiting on the server (held, or in the run queue) is not silence from the client: the
            // time counts again from when it has been served (EndTurn).
            if ((c.Queues & (ConnectionQueues.Run | ConnectionQueues.Held)) != 0 || now - c.MessageIdleSince < _idleTicks)
            {
                _idleWatch.Enqueue(c);
                continue;
            }

            // Bytes waiting unread (a client over the backpressure mark is not read) are further bytes: it is
            // watched again once they are read. The syscall only once the time is up.
            if (HasUnreadBytes(c))
            {
                continue;
            }

            c.MessageEndDue = true;
            Schedule(c);
        }
    }

    private static bool HasUnreadBytes(Connection c)
    {
        try
        {
            return c.Socket is { } socket && socket.Available > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
