using System.Net.Sockets;

namespace ChatLoop.Server;

/// <summary>
/// The message idle time (PROTOCOL.md §1, §2.3): a connection whose reader has something the silence
/// would end (a line begun and not ended, an open CHAT body) is watched, and once no byte has come
/// from it for that long, its reader is told so and what it completes is served.
/// </summary>
internal sealed partial class Reactor
{
    private void EndSilentInput(long now)
    {
        for (int i = _idleWatch.Count - 1; i >= 0; i--)
        {
            var c = _idleWatch[i];
            if (c.IsOpen && c.Reader.IsAwaitingMessageEnd && now - c.LastReceiveAt < _idleTicks)
            {
                continue;
            }

            _idleWatch[i] = _idleWatch[^1];
            _idleWatch.RemoveAt(_idleWatch.Count - 1);
            c.InIdleWatch = false;

            // Silence means no byte on the connection: held input goes first, and bytes waiting unread
            // (a client over the backpressure mark is not read) are further bytes. Either way the
            // connection is watched again once its input is read. The syscall only once the time is up.
            if (!c.IsOpen || c.InputHeld || !c.Reader.IsAwaitingMessageEnd || HasUnreadBytes(c))
            {
                continue;
            }

            // It may end a line without completing a request; ProcessRequests then still restarts the
            // unfinished-request clock.
            if (c.Reader.TryEndIdleMessage(out var request))
            {
                _handler.Handle(c, request);
            }

            if (c.IsOpen && MustWait(c))
            {
                Hold(c);
            }
            else
            {
                ProcessRequests(c);
            }
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
