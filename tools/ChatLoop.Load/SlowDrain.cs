using System.Diagnostics;
using System.Net.Sockets;

namespace ChatLoop.Load;

/// <summary>
/// At the end of a run, reads what the slow members were sent (they never read before), to learn
/// which ones the server cut off: their stream ends, usually after ERROR_CODE 10.
/// </summary>
internal static class SlowDrain
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    public static void Run(SimClient[] slow, Receiver receiver, TimeSpan budget)
    {
        var open = new List<Socket>(slow.Length);
        var owners = new Dictionary<Socket, SimClient>(slow.Length);
        var clock = Stopwatch.StartNew();
        var lastData = TimeSpan.Zero;
        while (clock.Elapsed < budget && clock.Elapsed - lastData < Quiet)
        {
            open.Clear();
            owners.Clear();
            foreach (var c in slow)
            {
                if (c.Socket is { } socket)
                {
                    open.Add(socket);
                    owners.Add(socket, c);
                }
            }

            if (open.Count == 0)
            {
                return;
            }

            Socket.Select(open, null, null, 50_000);
            foreach (var socket in open)
            {
                var c = owners[socket];
                if (receiver.Receive(c) > 0 || c.Socket is null)
                {
                    lastData = clock.Elapsed;
                }
            }
        }
    }
}
