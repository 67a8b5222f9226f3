using System.Net.Sockets;

namespace ChatLoop.Server.Reactor;

/// <summary>The one place that decides which socket errors are an ordinary disconnect and which are a surprise.</summary>
internal static class SocketErrors
{
    public static bool IsOrdinaryDisconnect(SocketError error) => error is
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
        or SocketError.NotConnected or SocketError.TimedOut or SocketError.Disconnecting
        or SocketError.NetworkReset or SocketError.HostUnreachable or SocketError.NetworkUnreachable;

    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionReset => "connection reset by the client",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.Shutdown => "connection shut down",
        SocketError.TimedOut => "connection timed out",
        _ => "socket error " + error,
    };
}
