using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Polling;
using ChatLoop.Server.Reactor;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Polling;

/// <summary>
/// A poller on real loopback sockets, as the reactor sets it up: a listener, a wake-up socket, and server
/// ends of accepted connections wrapped as <see cref="Connection"/>s, each with the client end to poke it.
/// </summary>
internal sealed class PollerRig : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly TickWork _work = new();
    private long _nextId = 1;

    public PollerRig(PollerKind kind)
    {
        Listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Listener.Listen(64);
        Wakeup = new Wakeup();
        Poller = PollerFactory.Create(kind, Listener, Wakeup.Socket);
    }

    public Socket Listener { get; }

    public Wakeup Wakeup { get; }

    public IPoller Poller { get; }

    public int Port => ((IPEndPoint)Listener.LocalEndPoint!).Port;

    /// <summary>A client socket connected to the listener, not yet accepted.</summary>
    public Socket ConnectClient()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _owned.Add(client);
        client.Connect(IPAddress.Loopback, Port);
        return client;
    }

    /// <summary>Connects a client, accepts it and starts watching the server end with <paramref name="interest"/>.</summary>
    public (Connection Server, Socket Client) Open(Interest interest)
    {
        var client = ConnectClient();
        var server = Listener.Accept();
        server.Blocking = false;
        _owned.Add(server);
        var c = new Connection(_nextId++, server, server.RemoteEndPoint, _work, new ReaderLimits(8192, 65536), 1 << 20, 256 * 1024, 0);
        Poller.Add(c, interest);
        return (c, client);
    }

    /// <summary>Waits (bounded by <see cref="Wait.Long"/>) until a wait's result satisfies <paramref name="seen"/>; false if it never does.</summary>
    public bool WaitUntil(Func<PollEvents, bool> seen)
    {
        // Each try is a poller wait of up to 100 ms: no pause between tries.
        return Wait.TryUntil(
            () =>
            {
                Poller.Wait(100);
                return seen(Poller.Ready);
            },
            Wait.Long,
            TimeSpan.Zero);
    }

    /// <summary>One wait of <see cref="Wait.Short"/>, for what must not be reported.</summary>
    public PollEvents WaitShort()
    {
        Poller.Wait((int)Wait.Short.TotalMilliseconds);
        return Poller.Ready;
    }

    public void Dispose()
    {
        Poller.Dispose();
        foreach (var s in _owned)
        {
            s.Dispose();
        }

        Wakeup.Dispose();
        Listener.Dispose();
    }
}
