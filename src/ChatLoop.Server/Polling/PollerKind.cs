namespace ChatLoop.Server.Polling;

/// <summary>How the reactor waits for socket events (<c>--poller</c>).</summary>
public enum PollerKind
{
    /// <summary>Socket.Select (poll() on Linux): the kernel looks at every socket on every wait. Anywhere .NET runs.</summary>
    Select,

    /// <summary>Linux epoll: interest is kept in the kernel and a wait costs only what is ready.</summary>
    Epoll,
}
