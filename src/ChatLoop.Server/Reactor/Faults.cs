using System.Net.Sockets;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using NLog;

namespace ChatLoop.Server.Reactor;

/// <summary>How a connection ends when its socket fails or serving it throws: logged once, marked to close hard.</summary>
internal sealed class Faults
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ServerStats _stats;

    public Faults(ServerStats stats) => _stats = stats;

    /// <summary>A socket error on Receive or Send: ordinary disconnects at Debug, anything else at Warn.</summary>
    public static void LostPeer(Connection c, SocketError error)
    {
        if (SocketErrors.IsOrdinaryDisconnect(error))
        {
            Log.Debug("Connection {Id} from {Remote}: {Error}", c.Id, c.Remote, error);
        }
        else
        {
            Log.Warn("Connection {Id} from {Remote}: unexpected socket error {Error}", c.Id, c.Remote, error);
        }

        c.Outbound.Clear();
        c.MarkClosing(SocketErrors.Describe(error), hard: true);
    }

    /// <summary>An exception while serving one connection closes that connection, never the loop.</summary>
    public void Faulted(Connection c, Exception e)
    {
        _stats.CountCutOff(CutOffReason.InternalError);
        Log.Error(e, "Connection {Id} from {Remote}: internal error; closing it", c.Id, c.Remote);
        c.Outbound.Clear();
        c.MarkClosing("internal error: " + e.GetType().Name, hard: true);
    }
}
