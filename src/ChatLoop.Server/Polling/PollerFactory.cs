using System.Net.Sockets;

namespace ChatLoop.Server.Polling;

/// <summary>Makes the poller the settings ask for, watching the listener and the wake-up socket.</summary>
internal static class PollerFactory
{
    public static IPoller Create(PollerKind kind, Socket listener, Socket wakeup) => kind switch
    {
        PollerKind.Epoll => new EpollPoller(listener, wakeup),
        _ => new SelectPoller(listener, wakeup),
    };

    /// <summary>Whether this platform has <paramref name="kind"/>.</summary>
    public static bool IsSupported(PollerKind kind) => kind != PollerKind.Epoll || EpollPoller.IsSupported;

    /// <summary>The name used on the command line and in STATS.</summary>
    public static string NameOf(PollerKind kind) => kind == PollerKind.Epoll ? "epoll" : "select";
}
